using System.Collections.Concurrent;
using EdgeSafety.Contracts;
using EdgeSafety.Mqtt;
using EdgeSafety.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using static EdgeSafety.Provisioning.Tests.SecuredBroker;

namespace EdgeSafety.Provisioning.Tests;

/// <summary>
/// The broker as shipped, against the real mosquitto 2.0.11: what a gateway's credentials allow and refuse. Each
/// refusal has a positive control on the same connection: a message sent after the refused one arrives, and the
/// broker keeps one connection's messages in order, so the refused one would have arrived first.
/// </summary>
public sealed class BrokerAccessTests(SecuredBroker secured, ITestOutputHelper output) : IClassFixture<SecuredBroker>
{
    private static readonly string UserA = BrokerRoles.GatewayUsername(Site, GatewayA);

    [Fact]
    public async Task Gateway_A_cannot_publish_readings_events_or_status_as_gateway_B()
    {
        await using var clients = new Clients(output);
        var ingestReceived = new ConcurrentQueue<MqttMessage>();
        var ingest = await clients.ConnectAsync(secured.Options("ingest"), ingestReceived);
        foreach (var filter in new[] { Topics.AllReadings, Topics.AllEvents, Topics.AllStatus })
        {
            await ingest.SubscribeAsync(filter, MqttQos.AtLeastOnce).WaitAsync(Clients.Timeout);
        }

        var gatewayA = await clients.ConnectAsync(secured.Options(UserA));
        string[] forged = [Topics.Readings(Site, GatewayB, "meter-1"), Topics.PartitionedReadings(Site, GatewayB, "meter-1"),
            Topics.Events(Site, GatewayB, "meter-1"), Topics.Status(Site, GatewayB), Topics.Readings("site-z", GatewayA, "meter-1")];
        foreach (var topic in forged)
        {
            await gatewayA.PublishAsync(topic, "forged"u8.ToArray(), MqttQos.AtLeastOnce).WaitAsync(Clients.Timeout);
        }

        var own = Topics.Readings(Site, GatewayA, "meter-1");
        await gatewayA.PublishAsync(own, "own"u8.ToArray(), MqttQos.AtLeastOnce).WaitAsync(Clients.Timeout);

        await Eventually.SucceedsAsync(() => ingestReceived.Select(m => m.Topic).Should().Contain(own), Clients.Timeout, "gateway A's own reading at ingest");
        ingestReceived.Select(m => m.Topic).Should().NotIntersectWith(forged, "the broker drops what a gateway publishes outside its own topics");
        clients.ShouldHaveLoggedNoErrors();
    }

    [Fact]
    public async Task Gateway_A_cannot_subscribe_to_gateway_Bs_commands_nor_to_every_gateways_but_receives_its_own()
    {
        await using var clients = new Clients(output);
        var received = new ConcurrentQueue<MqttMessage>();
        var gatewayA = await clients.ConnectAsync(secured.Options(UserA), received);

        foreach (var filter in new[] { Topics.AllCommands(Site, GatewayB), $"{Topics.Root}/{Site}/+/commands/+", "#", Topics.AllReadings })
        {
            await FluentActions.Awaiting(() => gatewayA.SubscribeAsync(filter, MqttQos.AtLeastOnce).WaitAsync(Clients.Timeout))
                .Should().ThrowAsync<MqttException>($"gateway A may not read {filter}");
        }

        await gatewayA.SubscribeAsync(Topics.AllCommands(Site, GatewayA), MqttQos.AtLeastOnce).WaitAsync(Clients.Timeout);
        var dashboard = await clients.ConnectAsync(secured.Options("dashboard"));
        await dashboard.PublishAsync(Topics.Command(Site, GatewayB, "config"), "for B"u8.ToArray(), MqttQos.AtLeastOnce).WaitAsync(Clients.Timeout);
        await dashboard.PublishAsync(Topics.Command(Site, GatewayA, "config"), "for A"u8.ToArray(), MqttQos.AtLeastOnce).WaitAsync(Clients.Timeout);

        await Eventually.SucceedsAsync(() => received.Should().ContainSingle(), Clients.Timeout, "gateway A's own command");
        received.Single().Topic.Should().Be(Topics.Command(Site, GatewayA, "config"));
        clients.ShouldHaveLoggedNoErrors();
    }

    [Fact]
    public async Task Ingest_may_send_on_site_warnings_but_no_other_command()
    {
        await using var clients = new Clients(output);
        var received = new ConcurrentQueue<MqttMessage>();
        var gatewayA = await clients.ConnectAsync(secured.Options(UserA), received);
        await gatewayA.SubscribeAsync(Topics.AllCommands(Site, GatewayA), MqttQos.AtLeastOnce).WaitAsync(Clients.Timeout);
        var ingest = await clients.ConnectAsync(secured.Options("ingest"));

        await ingest.PublishAsync(Topics.Command(Site, GatewayA, "config"), "forged"u8.ToArray(), MqttQos.AtLeastOnce).WaitAsync(Clients.Timeout);
        await ingest.PublishAsync(Topics.Command(Site, GatewayA, CommandCodec.Warn), "warn"u8.ToArray(), MqttQos.AtLeastOnce).WaitAsync(Clients.Timeout);

        await Eventually.SucceedsAsync(() => received.Should().ContainSingle(), Clients.Timeout, "ingest's warning at the gateway");
        received.Single().Topic.Should().Be(Topics.Command(Site, GatewayA, CommandCodec.Warn));
        clients.ShouldHaveLoggedNoErrors();
    }

    [Fact]
    public async Task The_observer_reads_the_whole_tree_and_publishes_nothing()
    {
        await using var clients = new Clients(output);
        var received = new ConcurrentQueue<MqttMessage>();
        var observer = await clients.ConnectAsync(secured.Options("observer"), received);
        await observer.SubscribeAsync("edgesafety/#", MqttQos.AtLeastOnce).WaitAsync(Clients.Timeout);
        var gatewayA = await clients.ConnectAsync(secured.Options(UserA));

        await observer.PublishAsync(Topics.Command(Site, GatewayA, "config"), "forged"u8.ToArray(), MqttQos.AtLeastOnce).WaitAsync(Clients.Timeout);
        await gatewayA.PublishAsync(Topics.Events(Site, GatewayA, "meter-1"), "own"u8.ToArray(), MqttQos.AtLeastOnce).WaitAsync(Clients.Timeout);

        await Eventually.SucceedsAsync(() => received.Should().ContainSingle(), Clients.Timeout, "gateway A's event at the observer");
        received.Single().Topic.Should().Be(Topics.Events(Site, GatewayA, "meter-1"), "the observer's own command was dropped");
        clients.ShouldHaveLoggedNoErrors();
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("gateway:site-a:gw-a", "a-wrong-password")]
    [InlineData("nobody", "a-wrong-password")]
    public async Task Anonymous_clients_and_wrong_passwords_are_refused(string? username, string? password)
    {
        await using var clients = new Clients(output);
        var options = secured.Options(null);
        (options.Username, options.Password) = (username, password);
        var (client, _) = clients.Create(options);
        using var timeout = new CancellationTokenSource(Clients.Timeout);

        var refused = await FluentActions.Awaiting(() => client.ConnectAsync(timeout.Token)).Should().ThrowAsync<MqttException>();

        refused.Which.Message.Should().Contain("not authorised");
    }

    [Fact]
    public async Task A_plain_text_client_with_the_right_password_is_never_connected()
    {
        await using var clients = new Clients(output);
        var options = secured.Options(UserA);
        options.TlsCaFile = null;
        var (plain, _) = clients.Create(options);
        using var giveUp = new CancellationTokenSource();

        var connecting = plain.ConnectAsync(giveUp.Token);
        // Plain MQTT bytes where a TLS record belongs; mosquitto logs it as "OpenSSL Error[0]: ..." or as "Client
        // connection from ... failed: ..." depending on where in the handshake it reads them.
        await Eventually.SucceedsAsync(() => secured.Broker.Log.Should().Contain("SSL routines::wrong version number"), Clients.Timeout,
            "the broker's TLS handshake failure with the plain-text client");
        plain.IsConnected.Should().BeFalse();
        await giveUp.CancelAsync();
        await FluentActions.Awaiting(() => connecting).Should().ThrowAsync<Exception>("it never connected");

        await clients.ConnectAsync(secured.Options(UserA));
    }

    [Fact]
    public async Task An_enrolled_gateway_publishes_at_once_and_once_revoked_is_disconnected_at_once_and_cannot_reconnect()
    {
        await using var clients = new Clients(output);
        await using var control = new DynamicSecurityControl(secured.Options("provisioning"), NullLogger<MqttClient>.Instance);
        var password = BrokerPasswords.NewPassword();
        await control.AddGatewayAsync(Site, "gw-c", password, CancellationToken.None);
        var options = secured.Options(BrokerRoles.GatewayUsername(Site, "gw-c"), password);
        var (gatewayC, _) = clients.Create(options);
        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gatewayC.ConnectionChanged += connected =>
        {
            if (!connected)
            {
                disconnected.TrySetResult();
            }
        };
        using (var timeout = new CancellationTokenSource(Clients.Timeout))
        {
            await gatewayC.ConnectAsync(timeout.Token);
        }

        await gatewayC.PublishAsync(Topics.Readings(Site, "gw-c", "meter-1"), "ok"u8.ToArray(), MqttQos.AtLeastOnce).WaitAsync(Clients.Timeout);

        (await control.RevokeGatewayAsync(Site, "gw-c", CancellationToken.None)).Should().BeTrue();

        await disconnected.Task.WaitAsync(Clients.Timeout);
        var (again, _) = clients.Create(options);
        using var reconnect = new CancellationTokenSource(Clients.Timeout);
        (await FluentActions.Awaiting(() => again.ConnectAsync(reconnect.Token)).Should().ThrowAsync<MqttException>())
            .Which.Message.Should().Contain("not authorised");
        (await control.RevokeGatewayAsync(Site, "gw-c", CancellationToken.None)).Should().BeFalse("it is gone already");
    }

    [Fact]
    public async Task Enrolling_a_gateway_again_replaces_its_credentials()
    {
        await using var clients = new Clients(output);
        await using var control = new DynamicSecurityControl(secured.Options("provisioning"), NullLogger<MqttClient>.Instance);
        var first = BrokerPasswords.NewPassword();
        var second = BrokerPasswords.NewPassword();
        await control.AddGatewayAsync(Site, "gw-d", first, CancellationToken.None);
        await control.AddGatewayAsync(Site, "gw-d", second, CancellationToken.None);
        var username = BrokerRoles.GatewayUsername(Site, "gw-d");

        var (old, _) = clients.Create(secured.Options(username, first));
        using var timeout = new CancellationTokenSource(Clients.Timeout);
        await FluentActions.Awaiting(() => old.ConnectAsync(timeout.Token)).Should().ThrowAsync<MqttException>();
        await clients.ConnectAsync(secured.Options(username, second));
    }
}
