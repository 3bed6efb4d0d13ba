using EdgeSafety.TestSupport;

namespace EdgeSafety.EdgeAgent.Tests;

/// <summary>
/// What an agent under test polls and publishes to: the simulator's three devices (meter-301, meter-302,
/// noise-courtyard, as in the shipped appsettings.json) on one end of a socat pty pair, and a real mosquitto.
/// </summary>
internal sealed class SimulatedSite(SerialLinePair line, MosquittoBroker broker, ExternalProcess simulator) : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    public SerialLinePair Line => line;

    public MosquittoBroker Broker => broker;

    public static async Task<SimulatedSite> StartAsync()
    {
        var line = await SerialLinePair.StartAsync();
        var broker = await MosquittoBroker.StartAsync();
        var simulator = ServiceProcess.Start("EdgeSafety.Simulators", LoopbackPort.Next(), $"--Simulator:Lines:0:DevicePath={line.SlavePath}");
        var site = new SimulatedSite(line, broker, simulator);
        try
        {
            await simulator.WaitForOutputAsync("Serving noise-courtyard", StartTimeout);
            return site;
        }
        catch
        {
            await site.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        simulator.Dispose();
        await broker.DisposeAsync();
        line.Dispose();
    }
}
