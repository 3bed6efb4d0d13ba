using System.Globalization;
using System.Text;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Mqtt.Tests;

public sealed class WillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Our_clients_will_is_delivered_when_its_connection_breaks_without_a_DISCONNECT()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var clients = new TestClients(output);
        var received = await SubscribeToWillsAsync(clients, broker);
        await using var relay = new TcpRelay(broker.Port);
        var will = new MqttWill("es/will/gateway-7", Encoding.UTF8.GetBytes("offline"), MqttQos.AtLeastOnce, Retain: false);
        var (gateway, _) = clients.Create(relay.Port, will: will);
        await TestClients.ConnectWithinTimeoutAsync(gateway);

        relay.BreakConnections();

        var messages = await received.WaitForAsync(1, TestClients.Timeout);
        messages.Single().Topic.Should().Be("es/will/gateway-7");
        Encoding.UTF8.GetString(messages.Single().Payload).Should().Be("offline");
        messages.Single().Qos.Should().Be(MqttQos.AtLeastOnce);
        // The gateway saw its connection end and keeps retrying: a warning, not an error.
        clients.ShouldHaveLoggedNoErrors();
    }

    [Fact]
    public async Task A_will_is_delivered_when_the_client_process_is_killed()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var clients = new TestClients(output);
        var received = await SubscribeToWillsAsync(clients, broker);
        var doomedId = TestClients.UniqueId("doomed");
        using var doomed = ExternalProcess.Start("mosquitto_sub", "mosquitto_sub",
        [
            "-h", broker.Host, "-p", broker.Port.ToString(CultureInfo.InvariantCulture), "-i", doomedId,
            "-t", "es/unused", "--will-topic", "es/will/killed", "--will-payload", "gone", "--will-qos", "1",
        ]);
        // The broker logs this after it has read the CONNECT, will included (its stdout is buffered: no use waiting there).
        await Eventually.SucceedsAsync(() => broker.Log.Should().Contain($" as {doomedId} "), TestClients.Timeout, "mosquitto_sub to connect");

        doomed.Kill();

        var messages = await received.WaitForAsync(1, TestClients.Timeout);
        messages.Single().Topic.Should().Be("es/will/killed");
        Encoding.UTF8.GetString(messages.Single().Payload).Should().Be("gone");
        clients.ShouldHaveLoggedNoErrors();
    }

    [Fact]
    public async Task The_will_is_not_delivered_after_a_clean_DisconnectAsync()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var clients = new TestClients(output);
        var received = new MessageCollector();
        var observer = await clients.ConnectAsync(broker, received);
        await observer.SubscribeAsync("es/will/#", MqttQos.AtLeastOnce).WaitAsync(TestClients.Timeout);
        var will = new MqttWill("es/will/gateway-8", Encoding.UTF8.GetBytes("offline"), MqttQos.AtLeastOnce, Retain: false);
        var gatewayId = TestClients.UniqueId("clean");
        var (gateway, _) = clients.Create(broker.Port, o => o.ClientId = gatewayId, will);
        var changes = new List<bool>();
        gateway.ConnectionChanged += changes.Add;
        await TestClients.ConnectWithinTimeoutAsync(gateway);

        await gateway.DisconnectAsync().WaitAsync(TestClients.Timeout);

        // The broker logs this line when it handles the DISCONNECT, and decides about the will right after. A marker
        // published after it reaches the observer after any will would have.
        await Eventually.SucceedsAsync(
            () => broker.Log.Should().Contain($"Client {gatewayId} disconnected."), TestClients.Timeout, "the broker to see the DISCONNECT");
        await observer.PublishAsync("es/will/marker", new byte[] { 1 }, MqttQos.AtLeastOnce).WaitAsync(TestClients.Timeout);
        var messages = await received.WaitForAsync(m => m.Any(x => x.Topic == "es/will/marker"), TestClients.Timeout, "the marker");
        messages.Select(m => m.Topic).Should().Equal(["es/will/marker"], "no will is sent after a clean DISCONNECT");
        gateway.IsConnected.Should().BeFalse();
        changes.Should().Equal(true, false);
        clients.ShouldHaveLoggedNoErrors();
    }

    private static async Task<MessageCollector> SubscribeToWillsAsync(TestClients clients, MosquittoBroker broker)
    {
        var received = new MessageCollector();
        var observer = await clients.ConnectAsync(broker, received);
        await observer.SubscribeAsync("es/will/#", MqttQos.AtLeastOnce).WaitAsync(TestClients.Timeout);
        return received;
    }
}
