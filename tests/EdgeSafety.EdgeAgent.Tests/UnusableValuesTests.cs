using System.Globalization;
using EdgeSafety.Modbus;
using EdgeSafety.TestSupport;

namespace EdgeSafety.EdgeAgent.Tests;

/// <summary>
/// A meter that answers a float32 NaN for a value it does not have (as meters do for "not available"): the agent
/// publishes its readings without that value, counts it and names it once in its log, and keeps polling (found by the
/// fuzzer, docs/fuzzing.md: the reading's serializer threw on the NaN and the bus stopped being polled).
/// </summary>
public sealed class UnusableValuesTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly RegisterBank _meter = new(holdingRegisterCount: 0, inputRegisterCount: 80);
    private readonly int _tcpPort = LoopbackPort.Next();
    private SimulatedSite _site = null!;

    public async Task InitializeAsync()
    {
        _site = await SimulatedSite.StartAsync();
        // eastron-sdm120: float32, high word first; voltage_v at input register 0, frequency_hz at 70.
        _meter.Write(RegisterTable.Input, 0, [0x4366, 0x0000]);
        _meter.Write(RegisterTable.Input, 70, [0x7FC0, 0x0000]);
    }

    public async Task DisposeAsync()
    {
        await _site.DisposeAsync();
        _meter.Dispose();
    }

    [Fact]
    public async Task A_value_answered_as_nan_is_left_out_of_the_readings_and_counted_and_polling_goes_on()
    {
        await using var subscriber = await ReadingsSubscriber.StartAsync(_site.Broker);
        using var server = ModbusTcpServer.Listen("127.0.0.1", _tcpPort);
        server.Add(1, _meter);
        using var stop = new CancellationTokenSource();
        var serving = server.RunAsync(stop.Token);
        var port = LoopbackPort.Next();
        using var agent = ServiceProcess.Start("EdgeSafety.EdgeAgent", port, _site.AgentSettings(
            "--Agent:TcpEndpoints:0:Name=tcp1", "--Agent:TcpEndpoints:0:Host=127.0.0.1", $"--Agent:TcpEndpoints:0:Port={_tcpPort}",
            "--Agent:Devices:3:Id=meter-sdm", "--Agent:Devices:3:Bus=tcp1", "--Agent:Devices:3:UnitId=1", "--Agent:Devices:3:Profile=eastron-sdm120",
            "--Agent:Devices:3:PollIntervalMilliseconds=200"));

        await Eventually.SucceedsAsync(() => subscriber.Arrivals("meter-sdm").Count.Should().BeGreaterThanOrEqualTo(3), Bound, "readings of the meter");
        var reading = subscriber.Arrivals("meter-sdm")[0];
        reading.Values["voltage_v"].Should().Be(230.0);
        reading.Values.Should().NotContainKey("frequency_hz").And.ContainKey("energy_kwh");
        using var http = new HttpClient();
        (await PrometheusText.ReadAsync(http, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/metrics"), "agent_unusable_values_total"))
            .Should().BeGreaterThanOrEqualTo(3);
        agent.Output.Split('\n').Where(line => line.Contains("answers values that are not numbers", StringComparison.Ordinal)).Should().ContainSingle()
            .Which.Should().Contain("meter-sdm").And.Contain("frequency_hz");

        await stop.CancelAsync();
        await serving.ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
