using System.Text;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Mqtt.Tests;

/// <summary>
/// When does a received QoS 1 message count as delivered? libmosquitto 2.0.11 queues the PUBACK before it calls
/// on_message (lib/handle_publish.c), but in threaded mode only the network thread writes, and it is busy in
/// the handler: the PUBACK leaves after MessageReceived returns. If a libmosquitto upgrade changes that, this fails.
/// </summary>
public sealed class AtLeastOnceDeliveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_message_whose_handler_had_not_returned_when_the_connection_died_is_delivered_again()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var clients = new TestClients(output);
        // The subscriber reaches the broker through a relay: breaking it is, for the broker, a crash of the subscriber.
        await using var relay = new TcpRelay(broker.Port);
        var subscriberId = TestClients.UniqueId("ingest");
        var (subscriber, _) = clients.Create(relay.Port, o => (o.ClientId, o.CleanSession) = (subscriberId, false));
        var received = new MessageCollector();
        using var firstHandlerEntered = new ManualResetEventSlim();
        using var releaseFirstHandler = new ManualResetEventSlim();
        subscriber.MessageReceived = message =>
        {
            received.Add(message);
            if (!firstHandlerEntered.IsSet)
            {
                firstHandlerEntered.Set();
                releaseFirstHandler.Wait(TestClients.Timeout);
            }
        };
        await TestClients.ConnectWithinTimeoutAsync(subscriber);

        await subscriber.SubscribeAsync("es/ack", MqttQos.AtLeastOnce).WaitAsync(TestClients.Timeout);
        var publisher = await clients.ConnectAsync(broker);
        await publisher.PublishAsync("es/ack", Encoding.UTF8.GetBytes("reading-1"), MqttQos.AtLeastOnce).WaitAsync(TestClients.Timeout);
        firstHandlerEntered.Wait(TestClients.Timeout).Should().BeTrue("the message should reach the handler");

        relay.BreakConnections();
        await Eventually.SucceedsAsync(() => broker.Log.Should().Contain($"Client {subscriberId} closed its connection"),
            TestClients.Timeout, "the broker to lose the subscriber");
        relay.Restore();
        releaseFirstHandler.Set();

        var messages = await received.WaitForAsync(2, TestClients.Timeout);
        messages.Select(m => Encoding.UTF8.GetString(m.Payload)).Should().Equal("reading-1", "reading-1");
        clients.ShouldHaveLoggedNoErrors();
    }
}
