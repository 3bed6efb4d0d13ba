using System.Text;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Mqtt.Tests;

public sealed class MessageHandlerFailureTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_throwing_message_handler_is_counted_and_logged_and_neither_the_process_nor_the_connection_suffers()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var clients = new TestClients(output);
        var received = new MessageCollector();
        var (subscriber, logger) = clients.Create(broker.Port);
        subscriber.MessageReceived = message =>
        {
            if (Encoding.UTF8.GetString(message.Payload) == "boom")
            {
                throw new InvalidOperationException("handler bug");
            }

            received.Add(message);
        };
        await TestClients.ConnectWithinTimeoutAsync(subscriber);

        await subscriber.SubscribeAsync("es/handler", MqttQos.AtLeastOnce).WaitAsync(TestClients.Timeout);
        var publisher = await clients.ConnectAsync(broker);

        foreach (var text in new[] { "before", "boom", "after", "boom", "last" })
        {
            await publisher.PublishAsync("es/handler", Encoding.UTF8.GetBytes(text), MqttQos.AtLeastOnce).WaitAsync(TestClients.Timeout);
        }

        var messages = await received.WaitForAsync(3, TestClients.Timeout);
        messages.Select(m => Encoding.UTF8.GetString(m.Payload)).Should().Equal("before", "after", "last");
        subscriber.HandlerFailures.Should().Be(2);
        subscriber.IsConnected.Should().BeTrue();
        logger.Errors.Should().HaveCount(2).And.OnlyContain(e => e.Exception!.Message == "handler bug" && e.Message.Contains("es/handler", StringComparison.Ordinal));
        clients.ShouldHaveLoggedNoErrors(except: subscriber);
    }

    [Fact]
    public async Task A_throwing_ConnectionChanged_handler_is_counted_and_the_other_handlers_still_run()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var clients = new TestClients(output);
        var (client, logger) = clients.Create(broker.Port);
        var seen = new List<bool>();
        client.ConnectionChanged += _ => throw new InvalidOperationException("dashboard bug");
        client.ConnectionChanged += seen.Add;
        await TestClients.ConnectWithinTimeoutAsync(client);

        await Eventually.SucceedsAsync(() => seen.Should().Equal(true), TestClients.Timeout, "the second handler");
        client.HandlerFailures.Should().Be(1);
        client.IsConnected.Should().BeTrue();
        logger.Errors.Should().ContainSingle().Which.Exception!.Message.Should().Be("dashboard bug");
        clients.ShouldHaveLoggedNoErrors(except: client);
    }
}
