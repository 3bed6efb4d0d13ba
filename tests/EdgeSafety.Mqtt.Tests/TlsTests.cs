using System.Collections.Concurrent;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Mqtt.Tests;

/// <summary>TLS against a real mosquitto with a CA-signed certificate, one listener of which requires client certificates.</summary>
public sealed class TlsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TestCertificates _pki = TestCertificates.Create();
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync(_pki);

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        _pki.Dispose();
    }

    [Fact]
    public async Task A_client_trusting_the_brokers_CA_publishes_and_receives_over_TLS()
    {
        await using var clients = new TestClients(output);
        var received = new MessageCollector();
        var (client, _) = clients.Create(_broker.TlsPort, o => o.TlsCaFile = _pki.CaFile);
        client.MessageReceived = received.Add;
        await TestClients.ConnectWithinTimeoutAsync(client);

        await client.SubscribeAsync("es/tls/#", MqttQos.AtLeastOnce).WaitAsync(TestClients.Timeout);
        await client.PublishAsync("es/tls/a", "over tls"u8.ToArray(), MqttQos.AtLeastOnce).WaitAsync(TestClients.Timeout);

        var messages = await received.WaitForAsync(1, TestClients.Timeout);
        messages[0].Payload.Should().Equal("over tls"u8.ToArray());
        clients.ShouldHaveLoggedNoErrors();
    }

    [Fact]
    public async Task A_broker_certificate_from_another_CA_fails_ConnectAsync_with_the_TLS_reason_and_stops_the_client()
    {
        await using var clients = new TestClients(output);
        var (client, logger) = clients.Create(_broker.TlsPort, o => o.TlsCaFile = _pki.OtherCaFile);

        var failed = (await FluentActions.Awaiting(() => TestClients.ConnectWithinTimeoutAsync(client))
            .Should().ThrowAsync<MqttException>()).Which;

        failed.Message.Should().Contain($"TLS connection to the MQTT broker 127.0.0.1:{_broker.TlsPort} failed")
            .And.Contain("certificate verify failed", "OpenSSL's reason is passed on");
        failed.NativeError.Should().Be(8, "MOSQ_ERR_TLS");
        client.IsConnected.Should().BeFalse();
        await FluentActions.Awaiting(() => client.PublishAsync("es/tls/x", new byte[1], MqttQos.AtLeastOnce))
            .Should().ThrowAsync<ObjectDisposedException>("the client is finished, not half alive");
        logger.Entries.Should().Contain(e => e.Message.Contains("certificate verify failed", StringComparison.Ordinal));
        clients.ShouldHaveLoggedNoErrors();
    }

    [Fact]
    public async Task A_listener_requiring_client_certificates_refuses_a_client_without_one_and_takes_one_with_one()
    {
        await using var clients = new TestClients(output);
        var (anonymous, _) = clients.Create(_broker.ClientCertificatePort, o => o.TlsCaFile = _pki.CaFile);
        var (certified, _) = clients.Create(_broker.ClientCertificatePort,
            o => (o.TlsCaFile, o.TlsCertFile, o.TlsKeyFile) = (_pki.CaFile, _pki.ClientCertFile, _pki.ClientKeyFile));
        var changes = new ConcurrentQueue<bool>();
        anonymous.ConnectionChanged += changes.Enqueue;

        var refused = (await FluentActions.Awaiting(() => TestClients.ConnectWithinTimeoutAsync(anonymous))
            .Should().ThrowAsync<MqttException>()).Which;
        await TestClients.ConnectWithinTimeoutAsync(certified);

        refused.Message.Should().Contain("TLS connection").And.Contain("certificate required");
        changes.Should().BeEmpty("the client without a certificate never got a CONNACK");
        certified.IsConnected.Should().BeTrue();
        _broker.Log.Should().Contain("peer did not return a certificate");
        clients.ShouldHaveLoggedNoErrors();
    }

    [Fact]
    public async Task After_a_broker_restart_the_client_reconnects_over_TLS_and_resubscribes()
    {
        await using var clients = new TestClients(output);
        var received = new MessageCollector();
        var (client, _) = clients.Create(_broker.TlsPort, o => o.TlsCaFile = _pki.CaFile);
        client.MessageReceived = received.Add;
        var changes = new ConcurrentQueue<bool>();
        client.ConnectionChanged += changes.Enqueue;
        await TestClients.ConnectWithinTimeoutAsync(client);
        await client.SubscribeAsync("es/tls-restart/#", MqttQos.AtLeastOnce).WaitAsync(TestClients.Timeout);

        await _broker.RestartAsync();

        await Eventually.SucceedsAsync(() => changes.Should().Equal(true, false, true), TestClients.Timeout, "reconnected");
        var publisher = await clients.ConnectAsync(_broker);
        await publisher.PublishAsync("es/tls-restart/after", new byte[] { 1 }, MqttQos.AtLeastOnce).WaitAsync(TestClients.Timeout);
        (await received.WaitForAsync(1, TestClients.Timeout)).Single().Topic.Should().Be("es/tls-restart/after");
        clients.ShouldHaveLoggedNoErrors();
    }

    [Fact]
    public async Task A_TLS_failure_on_a_reconnect_is_retried_with_backoff_until_the_broker_takes_the_client_again()
    {
        // libmosquitto's own thread (mosquitto_loop_start) ends for good on a TLS failure; the client's thread must not.
        await using var relay = new TcpRelay(_broker.TlsPort);
        await using var clients = new TestClients(output);
        var (client, logger) = clients.Create(relay.Port, o => (o.TlsCaFile, o.ReconnectDelayMaxSeconds) = (_pki.CaFile, 2));
        var changes = new ConcurrentQueue<bool>();
        client.ConnectionChanged += changes.Enqueue;
        await TestClients.ConnectWithinTimeoutAsync(client);

        // Reconnects now reach a listener that wants a client certificate, which this client has not got.
        relay.Retarget(_broker.ClientCertificatePort);
        relay.BreakConnections();
        relay.Restore();
        await Eventually.SucceedsAsync(
            () => _broker.Log.Split("peer did not return a certificate").Length.Should().BeGreaterThan(2, "two refused reconnects"),
            TestClients.Timeout, "refused TLS reconnects");
        client.IsConnected.Should().BeFalse();

        relay.Retarget(_broker.TlsPort);

        await Eventually.SucceedsAsync(() => changes.Should().Equal(true, false, true), TestClients.Timeout, "reconnected over TLS");
        await client.PublishAsync("es/tls/after-failures", new byte[] { 2 }, MqttQos.AtLeastOnce).WaitAsync(TestClients.Timeout);
        logger.Errors.Should().Contain(e => e.Message.Contains("certificate required", StringComparison.Ordinal),
            "a TLS refusal on a reconnect needs a person (an expired or revoked certificate), though it is retried");
        clients.ShouldHaveLoggedNoErrors(except: client);
        client.CallbackFailures.Should().Be(0);
    }
}
