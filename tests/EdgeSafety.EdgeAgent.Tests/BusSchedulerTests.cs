using EdgeSafety.TestSupport;

namespace EdgeSafety.EdgeAgent.Tests;

/// <summary>
/// The bus scheduler on a loaded bus: the simulator holds every reply for its wire time at 9600 baud, so the three live
/// devices (two harmonic meters of two reads each and a noise sensor, polled every second) keep the wire about 75 %
/// busy. A silent slave that was polled like the others, with its timeout and retry, would push the bus past its limit.
/// </summary>
public sealed class BusSchedulerTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private static readonly string[] LiveDevices = ["meter-301", "meter-302", "noise-courtyard"];

    /// <summary>Counted after the start-up polls, for whole seconds of the devices' 1 s interval.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(6);

    private readonly HttpClient _http = new();
    private SimulatedSite _site = null!;

    public async Task InitializeAsync() =>
        _site = await SimulatedSite.StartAsync("--Simulator:Lines:0:SimulateWireTime=true", "--Simulator:Lines:0:BaudRate=9600");

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _site.DisposeAsync();
    }

    [Fact]
    public async Task A_silent_slave_among_live_ones_does_not_lower_their_poll_rate()
    {
        await using var subscriber = await ReadingsSubscriber.StartAsync(_site.Broker);
        var alone = await CountLiveReadingsAsync(subscriber, silentSlave: false);
        var beside = await CountLiveReadingsAsync(subscriber, silentSlave: true);

        foreach (var device in LiveDevices)
        {
            alone[device].Should().BeGreaterThanOrEqualTo((int)Window.TotalSeconds - 1, $"{device} is polled every second on a bus with room for it");
            beside[device].Should().BeGreaterThanOrEqualTo(alone[device] - 1, $"{device} keeps its rate beside a silent slave");
        }

        subscriber.Arrivals("meter-silent").Should().BeEmpty();
        subscriber.Log.ShouldHaveNoErrors();
    }

    /// <summary>Runs an agent on the site and counts each live device's readings read within the window.</summary>
    private async Task<Dictionary<string, int>> CountLiveReadingsAsync(ReadingsSubscriber subscriber, bool silentSlave)
    {
        var port = LoopbackPort.Next();
        string[] silent = silentSlave
            ? ["--Agent:Buses:0:ResponseTimeoutMilliseconds=300", "--Agent:Buses:0:Retries=1",
                "--Agent:Devices:3:Id=meter-silent", "--Agent:Devices:3:Bus=bus1", "--Agent:Devices:3:UnitId=5", "--Agent:Devices:3:Profile=harmonic-meter"]
            : [];
        using var agent = ServiceProcess.Start("EdgeSafety.EdgeAgent", port, _site.AgentSettings(silent));
        var started = DateTimeOffset.UtcNow;
        var windowStart = started;
        await Eventually.SucceedsAsync(() =>
        {
            agent.ThrowIfExited();
            var firsts = LiveDevices.Select(d => subscriber.Arrivals(d).Where(r => r.Timestamp >= started).Select(r => r.Timestamp).DefaultIfEmpty().Min()).ToList();
            firsts.Should().NotContain(default(DateTimeOffset), "every live device has been read once");
            windowStart = firsts.Max() + Settle;
        }, Bound, "a first reading of every live device");

        var windowEnd = windowStart + Window;
        await Task.Delay(windowEnd - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1));
        if (silentSlave)
        {
            await ShouldReportTheSilentSlaveAsync(agent, port);
        }

        return LiveDevices.ToDictionary(d => d, d => subscriber.Arrivals(d).Count(r => r.Timestamp >= windowStart && r.Timestamp < windowEnd));
    }

    private async Task ShouldReportTheSilentSlaveAsync(ExternalProcess agent, int port)
    {
        var metrics = new Uri($"http://127.0.0.1:{port}/metrics");
        (await PrometheusText.ReadAsync(_http, metrics, "agent_bus_backed_off_devices{bus=\"bus1\"}")).Should().Be(1);
        (await PrometheusText.ReadAsync(_http, metrics, "agent_bus_timeouts_total{bus=\"bus1\"}")).Should().BeGreaterThanOrEqualTo(3, "its first poll and retry, then probes");
        (await PrometheusText.ReadAsync(_http, metrics, "agent_bus_retries_total{bus=\"bus1\"}")).Should().BeGreaterThanOrEqualTo(1, "its first poll was tried again");
        (await PrometheusText.ReadAsync(_http, metrics, "agent_bus_transactions_total{bus=\"bus1\"}")).Should().BeGreaterThan(20);
        (await PrometheusText.ReadAsync(_http, metrics, "agent_poll_failures_total{reason=\"Timeout\"}")).Should().BeGreaterThanOrEqualTo(2);
        await Eventually.SucceedsAsync(async () =>
            (await PrometheusText.ReadAsync(_http, metrics, "agent_bus_utilisation{bus=\"bus1\"}")).Should().BeInRange(0.5, 1.0,
                "three devices polled every second take about 0.75 s of wire time at 9600 baud"),
            TimeSpan.FromSeconds(25), "a full 10 s window of bus utilisation");
        agent.Output.Split('\n').Count(l => l.Contains("Device meter-silent on bus bus1 (unit 5) is not answering", StringComparison.Ordinal))
            .Should().Be(1, "a failing device is logged when it starts failing, not on every poll");
    }
}
