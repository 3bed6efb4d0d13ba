using System.Net.Http.Json;
using EdgeSafety.TestSupport;

namespace EdgeSafety.EdgeAgent.Tests;

/// <summary>
/// What an agent under test polls and publishes to: the simulator's devices (meter-301, meter-302, noise-courtyard as
/// in the shipped appsettings.json, and more) on one end of a socat pty pair, and a real mosquitto. The simulator's
/// control API makes devices silent or pins their values.
/// </summary>
internal sealed class SimulatedSite(SerialLinePair line, MosquittoBroker broker, ExternalProcess simulator, int simulatorPort) : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly HttpClient _control = new() { BaseAddress = new Uri($"http://127.0.0.1:{simulatorPort}/") };

    public SerialLinePair Line => line;

    public MosquittoBroker Broker => broker;

    /// <summary>Starts the simulator with extra settings (wire-time simulation, say) on top of its appsettings.json.</summary>
    public static async Task<SimulatedSite> StartAsync(params string[] simulatorSettings)
    {
        var line = await SerialLinePair.StartAsync();
        var broker = await MosquittoBroker.StartAsync();
        var port = LoopbackPort.Next();
        var simulator = ServiceProcess.Start("EdgeSafety.Simulators", port, [$"--Simulator:Lines:0:DevicePath={line.SlavePath}", .. simulatorSettings]);
        var site = new SimulatedSite(line, broker, simulator, port);
        try
        {
            await simulator.WaitForOutputAsync("Serving noise-courtyard", StartTimeout);
            await ServiceProcess.WaitUntilHealthyAsync(simulator, port, StartTimeout);
            return site;
        }
        catch
        {
            await site.DisposeAsync();
            throw;
        }
    }

    /// <summary>The settings an agent needs to poll this site's bus and publish to its broker.</summary>
    public string[] AgentSettings(params string[] more) =>
        [$"--Mqtt:Port={broker.Port}", $"--Agent:Buses:0:DevicePath={line.MasterPath}", .. more];

    /// <summary>Makes a simulated device stop answering, or answer again.</summary>
    public async Task SetSilentAsync(string device, bool silent)
    {
        var uri = new Uri($"devices/{device}/silent", UriKind.Relative);
        using var response = silent ? await _control.PutAsync(uri, content: null) : await _control.DeleteAsync(uri);
        response.EnsureSuccessStatusCode();
    }

    public async Task PinAsync(string device, IReadOnlyDictionary<string, double> values)
    {
        using var response = await _control.PutAsJsonAsync(new Uri($"devices/{device}/pinned", UriKind.Relative), values);
        response.EnsureSuccessStatusCode();
    }

    public async Task ReleasePinsAsync(string device)
    {
        using var response = await _control.DeleteAsync(new Uri($"devices/{device}/pinned", UriKind.Relative));
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        _control.Dispose();
        simulator.Dispose();
        await broker.DisposeAsync();
        line.Dispose();
    }
}
