using EdgeSafety.TestSupport;

namespace EdgeSafety.Mqtt.Tests;

public sealed class PersistentSessionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_persistent_subscriber_receives_the_QoS_1_messages_published_while_it_was_away_when_it_returns_with_the_same_ClientId()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var clients = new TestClients(output);
        var persistent = await SubscribeAndLeaveAsync(broker, clients);

        var publisher = await clients.ConnectAsync(broker);
        var payloads = Enumerable.Range(0, 100).Select(i => new byte[] { (byte)i, 0, (byte)(255 - i) }).ToList();
        foreach (var payload in payloads)
        {
            await publisher.PublishAsync("es/persist/reading", payload, MqttQos.AtLeastOnce).WaitAsync(TestClients.Timeout);
        }

        // No SubscribeAsync this time: the session kept the subscription and queued the messages.
        var received = new MessageCollector();
        await clients.ConnectAsync(broker, received, persistent);

        var messages = await received.WaitForAsync(payloads.Count, TestClients.Timeout);
        messages.Select(m => m.Payload).Should().BeEquivalentTo(payloads, o => o.WithStrictOrdering());
        clients.ShouldHaveLoggedNoErrors();
    }

    [Fact]
    public async Task Messages_queued_for_a_persistent_subscriber_survive_a_restart_of_the_shipped_broker()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var clients = new TestClients(output);
        var persistent = await SubscribeAndLeaveAsync(broker, clients);
        var publisher = await clients.ConnectAsync(broker);
        await publisher.PublishAsync("es/persist/reading", "kept"u8.ToArray(), MqttQos.AtLeastOnce).WaitAsync(TestClients.Timeout);
        await publisher.DisconnectAsync().WaitAsync(TestClients.Timeout);

        // A clean stop saves the broker's database; the restarted broker must still hold the queued message.
        await broker.RestartAsync();
        var received = new MessageCollector();
        await clients.ConnectAsync(broker, received, persistent);

        var messages = await received.WaitForAsync(1, TestClients.Timeout);
        messages.Single().Payload.Should().Equal("kept"u8.ToArray());
        broker.Log.Should().NotContain("Error saving");
        clients.ShouldHaveLoggedNoErrors();
    }

    /// <summary>A persistent subscriber to es/persist/# that goes away; returns the options that bring it back.</summary>
    private static async Task<Action<MqttClientOptions>> SubscribeAndLeaveAsync(MosquittoBroker broker, TestClients clients)
    {
        var clientId = TestClients.UniqueId("ingest");
        void Persistent(MqttClientOptions o)
        {
            o.ClientId = clientId;
            o.CleanSession = false;
        }

        var first = await clients.ConnectAsync(broker, configure: Persistent);
        await first.SubscribeAsync("es/persist/#", MqttQos.AtLeastOnce).WaitAsync(TestClients.Timeout);
        await first.DisconnectAsync().WaitAsync(TestClients.Timeout);
        return Persistent;
    }
}
