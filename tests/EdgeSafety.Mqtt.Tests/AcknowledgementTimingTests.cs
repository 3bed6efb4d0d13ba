using System.Text;
using EdgeSafety.TestSupport;
using Microsoft.Extensions.Logging;

namespace EdgeSafety.Mqtt.Tests;

/// <summary>
/// Pins down when libmosquitto 2.0.11 acknowledges a received QoS 1 message, which decides what a crash inside
/// MessageReceived loses. lib/handle_publish.c (handle__publish, case 1) calls send__puback before on_message.
/// If a libmosquitto upgrade moves the PUBACK after the callback, this test fails: then update MessageReceived's docs.
/// </summary>
public sealed class AcknowledgementTimingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_broker_has_the_PUBACK_for_a_received_QoS_1_message_while_MessageReceived_is_still_running()
    {
        await using var broker = await ConfiguredBroker.StartAsync(_ => Task.FromResult<IEnumerable<string>>(
            ["allow_anonymous true", "log_type all"]));
        await using var clients = new TestClients(output);
        var subscriberId = TestClients.UniqueId("slow");
        var (subscriber, _) = clients.Create(broker.Port, o => o.ClientId = subscriberId);
        using var handlerEntered = new ManualResetEventSlim();
        using var releaseHandler = new ManualResetEventSlim();
        var brokerHadPubackBeforeHandlerReturned = false;
        subscriber.MessageReceived = _ =>
        {
            handlerEntered.Set();
            releaseHandler.Wait(TestClients.Timeout);
            brokerHadPubackBeforeHandlerReturned = broker.Log.Contains($"Received PUBACK from {subscriberId}", StringComparison.Ordinal);
        };
        using (var timeout = new CancellationTokenSource(TestClients.Timeout))
        {
            await subscriber.ConnectAsync(timeout.Token);
        }

        await subscriber.SubscribeAsync("es/ack", MqttQos.AtLeastOnce).WaitAsync(TestClients.Timeout);
        var publisher = new MqttClient(new MqttClientOptions { Port = broker.Port, ClientId = TestClients.UniqueId("pub") },
            new RecordingLogger<MqttClient>(output, LogLevel.Debug));
        await using (publisher)
        {
            using var timeout = new CancellationTokenSource(TestClients.Timeout);
            await publisher.ConnectAsync(timeout.Token);
            await publisher.PublishAsync("es/ack", Encoding.UTF8.GetBytes("reading"), MqttQos.AtLeastOnce).WaitAsync(TestClients.Timeout);
        }

        handlerEntered.Wait(TestClients.Timeout).Should().BeTrue("the message should reach the handler");
        try
        {
            await Eventually.SucceedsAsync(
                () => broker.Log.Should().Contain($"Received PUBACK from {subscriberId}"), TimeSpan.FromSeconds(5),
                "the subscriber's PUBACK while its handler blocks");
        }
        finally
        {
            releaseHandler.Set();
        }

        await Eventually.SucceedsAsync(() => brokerHadPubackBeforeHandlerReturned.Should().BeTrue(), TestClients.Timeout, "the handler to return");
        clients.ShouldHaveLoggedNoErrors();
    }
}
