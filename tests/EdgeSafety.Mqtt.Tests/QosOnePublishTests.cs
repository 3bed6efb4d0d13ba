using EdgeSafety.TestSupport;

namespace EdgeSafety.Mqtt.Tests;

public sealed class QosOnePublishTests(ITestOutputHelper output)
{
    private const string Topic = "es/test/qos1";

    /// <summary>Also with TCP_NODELAY off (the load generator's setting): packed segments change no message.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Every_QoS_1_publish_completes_on_its_PUBACK_and_the_subscriber_receives_each_payload_byte_for_byte_in_order(bool tcpNoDelay)
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var clients = new TestClients(output);
        var received = new MessageCollector();
        var subscriber = await clients.ConnectAsync(broker, received);
        await subscriber.SubscribeAsync(Topic, MqttQos.AtLeastOnce).WaitAsync(TestClients.Timeout);
        var publisher = await clients.ConnectAsync(broker, configure: o => o.TcpNoDelay = tcpNoDelay);

        var payloads = Enumerable.Range(0, 2000).Select(BinaryPayload).ToList();
        // All 2,000 at once: more than the 100 in flight, so the later ones wait for slots and must keep their order.
        var publishes = payloads.Select(p => publisher.PublishAsync(Topic, p, MqttQos.AtLeastOnce)).ToList();
        await Task.WhenAll(publishes).WaitAsync(TestClients.Timeout);
        publisher.InflightCount.Should().Be(0, "every PUBACK has arrived");

        var messages = await received.WaitForAsync(payloads.Count, TestClients.Timeout);
        messages.Should().HaveCount(payloads.Count, "no message is duplicated");
        for (var i = 0; i < payloads.Count; i++)
        {
            messages[i].Payload.Should().Equal(payloads[i], "message {0} is the {0}th published, unchanged", i);
        }

        messages.Should().OnlyContain(m => m.Topic == Topic && m.Qos == MqttQos.AtLeastOnce && !m.Retain);
        clients.ShouldHaveLoggedNoErrors();
    }

    [Fact]
    public async Task A_QoS_0_publish_reaches_a_QoS_0_subscriber_and_an_empty_payload_stays_empty()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var clients = new TestClients(output);
        var received = new MessageCollector();
        var subscriber = await clients.ConnectAsync(broker, received);
        await subscriber.SubscribeAsync("es/test/qos0/#", MqttQos.AtMostOnce).WaitAsync(TestClients.Timeout);
        var publisher = await clients.ConnectAsync(broker);

        await publisher.PublishAsync("es/test/qos0/a", new byte[] { 0, 1, 0 }, MqttQos.AtMostOnce);
        await publisher.PublishAsync("es/test/qos0/b", ReadOnlyMemory<byte>.Empty, MqttQos.AtMostOnce);

        var messages = await received.WaitForAsync(2, TestClients.Timeout);
        messages.Select(m => m.Topic).Should().Equal("es/test/qos0/a", "es/test/qos0/b");
        messages[0].Payload.Should().Equal(0, 1, 0);
        messages[1].Payload.Should().BeEmpty();
        messages.Should().OnlyContain(m => m.Qos == MqttQos.AtMostOnce);
        clients.ShouldHaveLoggedNoErrors();
    }

    /// <summary>A 0 byte first, in the middle and last, every byte value somewhere, lengths from 3 to 300.</summary>
    private static byte[] BinaryPayload(int index)
    {
        var payload = new byte[3 + (index % 298)];
        for (var i = 0; i < payload.Length; i++)
        {
            payload[i] = (byte)(index + (i * 7));
        }

        payload[0] = 0;
        payload[payload.Length / 2] = 0;
        payload[^1] = 0;
        BitConverter.TryWriteBytes(payload.AsSpan(1), (short)index);
        return payload;
    }
}
