using EdgeSafety.TestSupport;

namespace EdgeSafety.EdgeAgent.Tests;

/// <summary>
/// The agent's on-disk outbox against a real mosquitto and the simulated bus: broker outages, kill -9 and a full
/// store. Devices are polled every 100 ms, so each scenario builds a backlog within seconds.
/// </summary>
public sealed class StoreAndForwardTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly string[] Devices = ["meter-301", "meter-302", "noise-courtyard"];
    private readonly List<ExternalProcess> _agents = [];
    private readonly TemporaryDirectory _store = new("agent-store");
    private readonly HttpClient _http = new();
    private SimulatedSite _site = null!;

    private MosquittoBroker Broker => _site.Broker;

    public async Task InitializeAsync() => _site = await SimulatedSite.StartAsync();

    public async Task DisposeAsync()
    {
        _agents.ForEach(agent => agent.Dispose());
        await _site.DisposeAsync();
        _store.Dispose();
        _http.Dispose();
    }

    [Fact]
    public async Task After_a_broker_outage_under_a_live_bus_every_reading_arrives_in_order_while_new_ones_keep_flowing()
    {
        await using var subscriber = await ReadingsSubscriber.StartAsync(Broker);
        var (agent, port) = await StartAgentWithBacklogAsync(subscriber);

        var brokerBack = DateTimeOffset.UtcNow;
        await Broker.StartProcessAsync();

        await WaitUntilCompleteAsync(subscriber, agent, readingsAfter: brokerBack);
        foreach (var device in Devices)
        {
            subscriber.ShouldHaveAnUnbrokenRun(device, from: 0);
        }

        (await MetricAsync(port, "agent_store_dropped_total")).Should().Be(0);
        ServiceProcess.ErrorLines(agent).Should().BeEmpty();
    }

    [Fact]
    public async Task After_kill_9_mid_stream_the_restarted_agent_continues_every_device_s_numbers_without_gap_or_reuse()
    {
        await using var subscriber = await ReadingsSubscriber.StartAsync(Broker);
        var (first, _) = StartAgent();
        await WaitForReadingsAsync(subscriber, atLeast: 10);

        first.Kill();
        var killed = DateTimeOffset.UtcNow;
        var highestBeforeKill = Devices.ToDictionary(d => d, subscriber.HighestSequence);
        var (second, _) = StartAgent();

        await WaitUntilCompleteAsync(subscriber, second, readingsAfter: killed);
        foreach (var device in Devices)
        {
            subscriber.ShouldHaveAnUnbrokenRun(device, from: 0);
            subscriber.HighestSequence(device).Should().BeGreaterThanOrEqualTo(highestBeforeKill[device] + 5, $"{device} goes on after the restart");
        }
    }

    [Fact]
    public async Task Readings_stored_while_the_broker_was_away_survive_kill_9_and_are_delivered_by_the_restarted_agent()
    {
        await using var subscriber = await ReadingsSubscriber.StartAsync(Broker);
        var (first, _) = await StartAgentWithBacklogAsync(subscriber);
        var highestBeforeKill = Devices.ToDictionary(d => d, subscriber.HighestSequence);

        first.Kill();
        var killed = DateTimeOffset.UtcNow;
        await Broker.StartProcessAsync();
        var (second, _) = StartAgent();

        await WaitUntilCompleteAsync(subscriber, second, readingsAfter: killed);
        foreach (var device in Devices)
        {
            subscriber.ShouldHaveAnUnbrokenRun(device, from: 0);
            subscriber.Arrivals(device).Where(r => r.Sequence > highestBeforeKill[device] && r.Timestamp < killed).Select(r => r.Sequence).Distinct()
                .Should().HaveCountGreaterThanOrEqualTo(15, $"{device}'s readings from the outage (about 20) came from the killed agent's disk");
        }

        // The process's output is read on another thread: wait for the line rather than expect it already there.
        await second.WaitForOutputAsync(" records waiting", Bound);
        second.Output.Should().MatchRegex(@"Store .* open: [1-9]\d* records waiting");
    }

    [Fact]
    public async Task With_the_disk_limit_reached_while_the_broker_is_down_the_oldest_are_dropped_counted_and_logged_and_the_rest_arrive_in_order()
    {
        await using var subscriber = await ReadingsSubscriber.StartAsync(Broker);
        await Broker.StopAsync();
        const int maxBytes = 32 * 1024;
        var (agent, port) = StartAgent("--Store:SegmentBytes=8192", $"--Store:MaxBytes={maxBytes}");

        await WaitForMetricAsync(port, "agent_store_dropped_total", atLeast: 40, "readings dropped for the byte limit");
        (await MetricAsync(port, "agent_store_bytes")).Should().BeLessThanOrEqualTo(maxBytes);
        var brokerBack = DateTimeOffset.UtcNow;
        await Broker.StartProcessAsync();

        await WaitUntilCompleteAsync(subscriber, agent, readingsAfter: brokerBack, fromFirstReceived: true);
        var dropped = await MetricAsync(port, "agent_store_dropped_total");
        foreach (var device in Devices)
        {
            var firstKept = subscriber.FirstArrivals(device)[0];
            firstKept.Should().BeGreaterThan(0, $"{device}'s oldest readings were dropped");
            subscriber.ShouldHaveAnUnbrokenRun(device, from: firstKept);
        }

        // A drop while the backlog drains can also take readings the client is already sending (they still arrive), so
        // the count may exceed the loss; it may never fall short of it.
        Devices.Sum(d => subscriber.FirstArrivals(d)[0]).Should().BeLessThanOrEqualTo((long)dropped, "every reading not delivered is counted as dropped");
        agent.Output.Should().Contain("Store over 32768 bytes: dropped the oldest");
    }

    private (ExternalProcess Agent, int Port) StartAgent(params string[] settings)
    {
        var port = LoopbackPort.Next();
        var agent = ServiceProcess.Start("EdgeSafety.EdgeAgent", port,
        [
            $"--Mqtt:Port={Broker.Port}", "--Mqtt:ReconnectDelayMaxSeconds=1",
            $"--Agent:Buses:0:DevicePath={_site.Line.MasterPath}",
            .. Devices.Select((_, i) => $"--Agent:Devices:{i}:PollIntervalMilliseconds=100"),
            $"--Store:Directory={_store.Path}",
            .. settings,
        ]);
        _agents.Add(agent);
        return (agent, port);
    }

    /// <summary>An agent that has published a few readings of each device, then a broker outage long enough for a backlog on disk.</summary>
    private async Task<(ExternalProcess Agent, int Port)> StartAgentWithBacklogAsync(ReadingsSubscriber subscriber)
    {
        var (agent, port) = StartAgent();
        await WaitForReadingsAsync(subscriber, atLeast: 5);
        await Broker.StopAsync();
        await WaitForMetricAsync(port, "agent_store_records", atLeast: 60, "a backlog on disk while the broker is away");
        return (agent, port);
    }

    private static Task WaitForReadingsAsync(ReadingsSubscriber subscriber, int atLeast) =>
        Eventually.SucceedsAsync(() =>
        {
            foreach (var device in Devices)
            {
                subscriber.FirstArrivals(device).Count.Should().BeGreaterThanOrEqualTo(atLeast, device);
            }
        }, Bound, $"{atLeast} readings from each device");

    /// <summary>
    /// Until every device has five readings taken after the given time (new readings flow) and every number up to its
    /// highest has arrived (the backlog is through).
    /// </summary>
    private static Task WaitUntilCompleteAsync(ReadingsSubscriber subscriber, ExternalProcess agent, DateTimeOffset readingsAfter,
        bool fromFirstReceived = false) =>
        Eventually.SucceedsAsync(() =>
        {
            agent.ThrowIfExited();
            foreach (var device in Devices)
            {
                subscriber.Arrivals(device).Where(r => r.Timestamp > readingsAfter).Select(r => r.Sequence).Distinct()
                    .Should().HaveCountGreaterThanOrEqualTo(5, $"{device} has new readings");
                var first = subscriber.FirstArrivals(device);
                var from = fromFirstReceived ? first.Min() : 0;
                first.Distinct().Count().Should().Be((int)(first.Max() - from + 1), $"{device} has every number from {from} to its highest");
            }
        }, Bound, "every reading up to the newest of each device");

    private Task WaitForMetricAsync(int port, string sample, double atLeast, string what) =>
        Eventually.SucceedsAsync(async () => (await MetricAsync(port, sample)).Should().BeGreaterThanOrEqualTo(atLeast), Bound, what);

    private Task<double> MetricAsync(int port, string sample) =>
        PrometheusText.ReadAsync(_http, new Uri($"http://127.0.0.1:{port}/metrics"), sample);
}
