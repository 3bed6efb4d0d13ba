using System.Collections.Concurrent;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Mqtt.Tests;

public sealed class ReconnectTests(ITestOutputHelper output)
{
    [Fact]
    public async Task After_a_broker_restart_the_client_reconnects_by_itself_resubscribes_and_delivers_what_was_published_meanwhile()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var clients = new TestClients(output);
        var received = new MessageCollector();
        var (client, _) = clients.Create(broker.Port);
        client.MessageReceived = received.Add;
        var changes = new ConcurrentQueue<bool>();
        client.ConnectionChanged += changes.Enqueue;
        await TestClients.ConnectWithinTimeoutAsync(client);

        await client.SubscribeAsync("es/restart/#", MqttQos.AtLeastOnce).WaitAsync(TestClients.Timeout);

        await broker.StopAsync();
        await Eventually.SucceedsAsync(() => changes.Should().Equal(true, false), TestClients.Timeout, "ConnectionChanged(false)");
        client.IsConnected.Should().BeFalse();
        var publishedWhileDown = client.PublishAsync("es/restart/while-down", new byte[] { 7, 0, 7 }, MqttQos.AtLeastOnce);
        publishedWhileDown.IsCompleted.Should().BeFalse("no broker has acknowledged it");
        client.InflightCount.Should().Be(1);

        await broker.StartProcessAsync();

        await publishedWhileDown.WaitAsync(TestClients.Timeout);
        changes.Should().Equal(true, false, true);
        client.IsConnected.Should().BeTrue();
        var publisher = await clients.ConnectAsync(broker);
        await publisher.PublishAsync("es/restart/after", new byte[] { 8 }, MqttQos.AtLeastOnce).WaitAsync(TestClients.Timeout);
        var messages = await received.WaitForAsync(2, TestClients.Timeout);
        messages.Select(m => m.Topic).Should().Equal("es/restart/while-down", "es/restart/after");
        messages[0].Payload.Should().Equal(7, 0, 7);
        clients.ShouldHaveLoggedNoErrors();
    }

    [Fact]
    public async Task ConnectAsync_keeps_trying_until_a_late_broker_starts()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await broker.StopAsync();
        await using var clients = new TestClients(output);
        var (client, _) = clients.Create(broker.Port);

        var connect = TestClients.ConnectWithinTimeoutAsync(client);
        await broker.StartProcessAsync();

        await connect;
        client.IsConnected.Should().BeTrue();
        clients.ShouldHaveLoggedNoErrors();
    }

    [Fact]
    public async Task Cancelling_ConnectAsync_while_the_broker_is_down_throws_OperationCanceled_and_finishes_the_client()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await broker.StopAsync();
        await using var clients = new TestClients(output);
        var (client, logger) = clients.Create(broker.Port);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await FluentActions.Awaiting(() => client.ConnectAsync(cancel.Token)).Should().ThrowAsync<OperationCanceledException>();

        client.IsConnected.Should().BeFalse();
        await FluentActions.Awaiting(() => client.ConnectAsync(CancellationToken.None)).Should().ThrowAsync<ObjectDisposedException>();
        logger.Entries.Should().ContainSingle(e => e.Message.Contains("not reachable", StringComparison.Ordinal),
            "the failed attempt is reported once, as a warning");
        clients.ShouldHaveLoggedNoErrors();
    }
}
