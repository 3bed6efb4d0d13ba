using EdgeSafety.Contracts;
using EdgeSafety.Modbus;
using EdgeSafety.TestSupport;

namespace EdgeSafety.EdgeAgent.Tests;

/// <summary>
/// A Modbus TCP endpoint beside the serial bus (our TCP server in this process, serving a noise sensor's register), and
/// a second serial bus set to drive RTS, which a pty cannot do.
/// </summary>
public sealed class BusKindsTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly RegisterBank _noiseSensor = new(holdingRegisterCount: 1, inputRegisterCount: 0);
    private readonly int _tcpPort = LoopbackPort.Next();
    private SimulatedSite _site = null!;
    private SerialLinePair _rs485Line = null!;

    public async Task InitializeAsync()
    {
        _site = await SimulatedSite.StartAsync();
        _rs485Line = await SerialLinePair.StartAsync();
        _noiseSensor.Write(RegisterTable.Holding, 0, [523]); // noise-sensor-hr0: dB x 0.1 in holding register 0
    }

    public async Task DisposeAsync()
    {
        _rs485Line.Dispose();
        await _site.DisposeAsync();
        _noiseSensor.Dispose();
    }

    [Fact]
    public async Task A_tcp_endpoint_is_polled_and_reconnected_beside_the_serial_bus_and_a_bus_that_cannot_drive_rts_is_named()
    {
        await using var subscriber = await ReadingsSubscriber.StartAsync(_site.Broker);
        var server = await ServeAsync();
        using var agent = ServiceProcess.Start("EdgeSafety.EdgeAgent", LoopbackPort.Next(), _site.AgentSettings(
            "--Agent:TcpEndpoints:0:Name=tcp1", "--Agent:TcpEndpoints:0:Host=127.0.0.1", $"--Agent:TcpEndpoints:0:Port={_tcpPort}",
            "--Agent:TcpEndpoints:0:ResponseTimeoutMilliseconds=300",
            "--Agent:Devices:3:Id=noise-tcp", "--Agent:Devices:3:Bus=tcp1", "--Agent:Devices:3:UnitId=1", "--Agent:Devices:3:Profile=noise-sensor-hr0",
            "--Agent:Buses:1:Name=bus2", $"--Agent:Buses:1:DevicePath={_rs485Line.MasterPath}", "--Agent:Buses:1:Rs485RtsMode=Up",
            "--Agent:Devices:4:Id=noise-rs485", "--Agent:Devices:4:Bus=bus2", "--Agent:Devices:4:UnitId=11", "--Agent:Devices:4:Profile=noise-sensor-hr0"));

        await Eventually.SucceedsAsync(() => subscriber.Arrivals("noise-tcp").Should().NotBeEmpty(), Bound, "a reading over TCP");
        subscriber.Arrivals("noise-tcp")[0].Values["db_a"].Should().BeApproximately(52.3, 1e-9);
        await agent.WaitForOutputAsync("Bus bus2: cannot open", Bound);
        agent.Output.Should().Contain("RS-485 mode for RTS mode Up");
        // The serial bus opens and polls on its own thread: its first reading may come after the TCP endpoint's.
        await Eventually.SucceedsAsync(() => subscriber.Arrivals("meter-301").Should().NotBeEmpty(), Bound, "the serial bus polling on regardless");

        // The endpoint goes away: its device is offline; back on the same port, the agent reconnects.
        await server.StopAsync();
        await Eventually.SucceedsAsync(() => subscriber.Events("noise-tcp").Should().ContainSingle(e => e.Event == DeviceEventKind.Offline), Bound, "offline");
        var readingsBefore = subscriber.Arrivals("noise-tcp").Count;
        server = await ServeAsync();
        await Eventually.SucceedsAsync(() => subscriber.Arrivals("noise-tcp").Count.Should().BeGreaterThan(readingsBefore), TimeSpan.FromSeconds(90), "readings after reconnecting");
        await server.StopAsync();
        subscriber.Arrivals("noise-rs485").Should().BeEmpty();
    }

    private async Task<RunningServer> ServeAsync()
    {
        var server = ModbusTcpServer.Listen("127.0.0.1", _tcpPort);
        server.Add(1, _noiseSensor);
        var stop = new CancellationTokenSource();
        var running = server.RunAsync(stop.Token);
        await Task.Yield();
        return new RunningServer(server, stop, running);
    }

    private sealed record RunningServer(ModbusTcpServer Server, CancellationTokenSource Stop, Task Running)
    {
        public async Task StopAsync()
        {
            await Stop.CancelAsync();
            await Running.ContinueWith(_ => { }, TaskScheduler.Default);
            Server.Dispose();
            Stop.Dispose();
        }
    }
}
