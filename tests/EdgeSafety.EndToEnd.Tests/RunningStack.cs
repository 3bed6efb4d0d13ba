using EdgeSafety.Influx;
using EdgeSafety.TestSupport;

namespace EdgeSafety.EndToEnd.Tests;

/// <summary>What to start besides the defaults: extra settings per service, and whether the dashboard runs.</summary>
public sealed record StackOptions
{
    public IReadOnlyList<string> SimulatorSettings { get; init; } = [];

    public IReadOnlyList<string> IngestSettings { get; init; } = [];

    public IReadOnlyList<string> AgentSettings { get; init; } = [];

    /// <summary>Runs the dashboard too (its demo accounts, <see cref="DashboardServer.DemoAccounts"/>), sharing ingest's alert store.</summary>
    public bool Dashboard { get; init; }

    public IReadOnlyList<string> DashboardSettings { get; init; } = [];
}

/// <summary>
/// The stack a user runs, every part real and each service its own process: simulated devices on a serial line
/// (socat pty pair), the edge agent polling them with Modbus RTU, mosquitto, ingest, influxd and, when asked, the
/// dashboard. Started and ready (subscribed, healthy) or not at all.
/// </summary>
public sealed class RunningStack : IAsyncDisposable
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly List<ExternalProcess> _services = [];
    private SerialLinePair? _line;
    private MosquittoBroker? _broker;
    private InfluxServer? _influx;
    private DashboardServer? _dashboard;

    private RunningStack()
    {
    }

    public InfluxServer Influx => _influx!;

    /// <summary>The simulator's control API.</summary>
    public Uri Simulator { get; private set; } = null!;

    /// <summary>Ingest's HTTP API (alerts, /metrics).</summary>
    public Uri Ingest { get; private set; } = null!;

    /// <summary>The dashboard (its demo accounts and their passwords, <see cref="DashboardServer.Passwords"/>), when asked for.</summary>
    public DashboardServer? Dashboard => _dashboard;

    public static async Task<RunningStack> StartAsync(StackOptions options)
    {
        var stack = new RunningStack();
        try
        {
            await stack.StartServicesAsync(options);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until a service (by its project name, such as EdgeSafety.Ingest) has printed a line containing the text.</summary>
    public Task WaitForOutputAsync(string service, string text) => _services.Single(s => s.Name == service).WaitForOutputAsync(text, Bound);

    /// <summary>Every service still running, none having logged an error.</summary>
    public void ShouldAllBeRunningWithoutErrors()
    {
        foreach (var service in _services)
        {
            service.HasExited.Should().BeFalse($"{service.Name} keeps running");
            ServiceProcess.ErrorLines(service).Should().BeEmpty($"{service.Name} logged no error");
        }

        _dashboard?.ErrorLines().Should().BeEmpty("the dashboard logged no error");
    }

    /// <summary>
    /// Plugs a simulated charger into a meter through the simulator's appliance API until <paramref name="recognised"/>
    /// returns something. The classifier's recall is below 100 % (docs/benchmarks.md) and each plug-in draws a new
    /// charger, so a charger it misses is unplugged and, once the room draws nothing again, another plugged in.
    /// </summary>
    public async Task<T> PlugInChargerUntilAsync<T>(HttpClient http, string meter, string charger, Func<Task<T?>> recognised, string what, int attempts = 3)
        where T : class
    {
        // The detector learns the room's level from the readings before the charger's step.
        var influx = new InfluxClient(http, new InfluxOptions { BaseAddress = Influx.BaseAddress, Database = "edgesafety" });
        await Eventually.SucceedsAsync(async () =>
            (await influx.QueryAsync($"SELECT count(power_w) FROM meter WHERE device = '{meter}'")).Single().Values.Single()[1].GetInt64().Should().BeGreaterThan(3),
            Bound, $"readings of {meter} in InfluxDB");
        for (var attempt = 1; ; attempt++)
        {
            using (var plug = await http.PutAsync(new Uri(Simulator, $"devices/{meter}/appliances/{charger}?stateOfCharge=0.3"), null))
            {
                plug.EnsureSuccessStatusCode();
            }

            try
            {
                return await Eventually.ReturnsAsync(recognised, Bound, what);
            }
            catch (TimeoutException) when (attempt < attempts)
            {
                await UnplugAsync(http, meter, charger);
                await Eventually.SucceedsAsync(async () =>
                    (await influx.QueryAsync($"SELECT last(power_w) FROM meter WHERE device = '{meter}'")).Single().Values.Single()[1].GetDouble().Should().BeLessThan(5),
                    Bound, $"{meter} drawing nothing again");
            }
        }
    }

    public async Task UnplugAsync(HttpClient http, string meter, string charger)
    {
        using var unplug = await http.DeleteAsync(new Uri(Simulator, $"devices/{meter}/appliances/{charger}"));
        unplug.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _services)
        {
            service.Dispose();
        }

        if (_dashboard is not null)
        {
            await _dashboard.DisposeAsync();
        }

        if (_influx is not null)
        {
            await _influx.DisposeAsync();
        }

        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        _line?.Dispose();
    }

    private async Task StartServicesAsync(StackOptions options)
    {
        _line = await SerialLinePair.StartAsync();
        _broker = await MosquittoBroker.StartAsync();
        _influx = await InfluxServer.StartAsync();

        // With the dashboard, ingest writes the alert store the dashboard reads, both seeded from the demo registry.
        string[] alertStore = [];
        if (options.Dashboard)
        {
            _dashboard = await DashboardServer.StartAsync(settings: [$"--Mqtt:Port={_broker.Port}", $"--Influx:BaseAddress={_influx.BaseAddress}", .. options.DashboardSettings]);
            alertStore = [$"--Alerts:Store:SqlitePath={_dashboard.AlertStorePath}", $"--Alerts:RegistryPath={RepositoryPaths.File("ingest", "EdgeSafety.Ingest", "alert-registry.demo.json")}"];
        }

        var simulatorPort = LoopbackPort.Next();
        var ingestPort = LoopbackPort.Next();
        Simulator = new Uri($"http://127.0.0.1:{simulatorPort}/");
        Ingest = new Uri($"http://127.0.0.1:{ingestPort}/");
        var simulator = Start("EdgeSafety.Simulators", simulatorPort, [$"--Simulator:Lines:0:DevicePath={_line.SlavePath}", .. options.SimulatorSettings]);
        var ingest = Start("EdgeSafety.Ingest", ingestPort,
            [$"--Mqtt:Port={_broker.Port}", $"--Influx:BaseAddress={_influx.BaseAddress}", .. alertStore, .. options.IngestSettings]);
        var agent = Start("EdgeSafety.EdgeAgent", LoopbackPort.Next(), [$"--Mqtt:Port={_broker.Port}", $"--Agent:Buses:0:DevicePath={_line.MasterPath}", .. options.AgentSettings]);

        await simulator.WaitForOutputAsync("Serving noise-courtyard", Bound);
        await ingest.WaitForOutputAsync(ServiceProcess.ReadingsSubscribed, Bound);
        await agent.WaitForOutputAsync("announced online", Bound);
        await ServiceProcess.WaitUntilHealthyAsync(simulator, simulatorPort, Bound);
        await ServiceProcess.WaitUntilHealthyAsync(ingest, ingestPort, Bound);
        if (_dashboard is not null)
        {
            await _dashboard.WaitForOutputAsync(ServiceProcess.ReadingsSubscribed, Bound);
        }
    }

    private ExternalProcess Start(string project, int port, string[] settings)
    {
        var process = ServiceProcess.Start(project, port, settings);
        _services.Add(process);
        return process;
    }
}
