using EdgeSafety.TestSupport;

namespace EdgeSafety.Mqtt.Tests;

public sealed class BackpressureTests(ITestOutputHelper output)
{
    [Fact]
    public async Task With_MaxInflightMessages_10_a_thousand_QoS_1_publishes_never_have_more_than_10_unacknowledged_and_all_complete()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var clients = new TestClients(output);
        var publisher = await clients.ConnectAsync(broker, configure: o => o.MaxInflightMessages = 10);
        var peak = 0;
        using var stopSampling = new CancellationTokenSource();
        var sampler = Task.Run(() =>
        {
            while (!stopSampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, publisher.InflightCount);
            }
        });

        var publishes = new List<Task>();
        for (var i = 0; i < 1000; i++)
        {
            publishes.Add(publisher.PublishAsync("es/backpressure", BitConverter.GetBytes(i), MqttQos.AtLeastOnce));
            publisher.InflightCount.Should().BeLessThanOrEqualTo(10);
        }

        await Task.WhenAll(publishes).WaitAsync(TestClients.Timeout);
        await stopSampling.CancelAsync();
        await sampler;

        peak.Should().BeInRange(1, 10);
        publisher.InflightCount.Should().Be(0);
        clients.ShouldHaveLoggedNoErrors();
    }

    [Fact]
    public async Task While_the_broker_is_unreachable_only_MaxInflightMessages_publishes_are_handed_over_and_the_rest_wait_and_arrive_in_order()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var clients = new TestClients(output);
        var received = new MessageCollector();
        var subscriber = await clients.ConnectAsync(broker, received);
        await subscriber.SubscribeAsync("es/queued", MqttQos.AtLeastOnce).WaitAsync(TestClients.Timeout);
        // The publisher reaches the broker through a relay, so that it alone loses the broker while the subscriber stays.
        await using var relay = new TcpRelay(broker.Port);
        var (publisher, _) = clients.Create(relay.Port, o => o.MaxInflightMessages = 10);
        await TestClients.ConnectWithinTimeoutAsync(publisher);

        relay.BreakConnections();
        await Eventually.SucceedsAsync(() => publisher.IsConnected.Should().BeFalse(), TestClients.Timeout, "the publisher to notice");

        var publishes = Enumerable.Range(0, 100)
            .Select(i => publisher.PublishAsync("es/queued", BitConverter.GetBytes(i), MqttQos.AtLeastOnce))
            .ToList();

        publisher.InflightCount.Should().Be(10, "only 10 may be handed to libmosquitto");
        publishes.Should().OnlyContain(p => !p.IsCompleted);

        relay.Restore();
        await Task.WhenAll(publishes).WaitAsync(TestClients.Timeout);
        var messages = await received.WaitForAsync(100, TestClients.Timeout);
        messages.Select(m => BitConverter.ToInt32(m.Payload)).Should().Equal(Enumerable.Range(0, 100));
        clients.ShouldHaveLoggedNoErrors();
    }
}
