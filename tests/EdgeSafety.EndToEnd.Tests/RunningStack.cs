using EdgeSafety.TestSupport;

namespace EdgeSafety.EndToEnd.Tests;

/// <summary>What to start besides the defaults: extra settings per service, and whether the dashboard runs.</summary>
public sealed record StackOptions
{
    public IReadOnlyList<string> SimulatorSettings { get; init; } = [];

    public IReadOnlyList<string> IngestSettings { get; init; } = [];

    public bool Dashboard { get; init; }
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

    /// <summary>The dashboard, with one admin account (its password in <see cref="DashboardServer.Passwords"/>).</summary>
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

        var simulatorPort = LoopbackPort.Next();
        var ingestPort = LoopbackPort.Next();
        Simulator = new Uri($"http://127.0.0.1:{simulatorPort}/");
        Ingest = new Uri($"http://127.0.0.1:{ingestPort}/");
        var simulator = Start("EdgeSafety.Simulators", simulatorPort, [$"--Simulator:Lines:0:DevicePath={_line.SlavePath}", .. options.SimulatorSettings]);
        var ingest = Start("EdgeSafety.Ingest", ingestPort,
            [$"--Mqtt:Port={_broker.Port}", $"--Influx:BaseAddress={_influx.BaseAddress}", .. options.IngestSettings]);
        var agent = Start("EdgeSafety.EdgeAgent", LoopbackPort.Next(), [$"--Mqtt:Port={_broker.Port}", $"--Agent:Buses:0:DevicePath={_line.MasterPath}"]);
        if (options.Dashboard)
        {
            _dashboard = await DashboardServer.StartAsync([new DashboardAccount("admin", "admin")], null, $"--Mqtt:Port={_broker.Port}",
                $"--Influx:BaseAddress={_influx.BaseAddress}");
        }

        await simulator.WaitForOutputAsync("Serving noise-courtyard", Bound);
        await ingest.WaitForOutputAsync("Subscribed to", Bound);
        await agent.WaitForOutputAsync("announced online", Bound);
        await ServiceProcess.WaitUntilHealthyAsync(simulator, simulatorPort, Bound);
        await ServiceProcess.WaitUntilHealthyAsync(ingest, ingestPort, Bound);
        if (_dashboard is not null)
        {
            await _dashboard.WaitForOutputAsync("Subscribed to", Bound);
        }
    }

    private ExternalProcess Start(string project, int port, string[] settings)
    {
        var process = ServiceProcess.Start(project, port, settings);
        _services.Add(process);
        return process;
    }
}
