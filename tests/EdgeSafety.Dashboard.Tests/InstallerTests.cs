using System.Net;
using System.Text.Json;
using EdgeSafety.Contracts;
using EdgeSafety.Mqtt;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeSafety.Dashboard.Tests;

/// <summary>
/// Commissioning and commands through the real broker: a stand-in gateway answers the commands the way the agent
/// does (docs/protocol.md), so the dashboard's round trip is the real one.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class InstallerTests(DashboardFixture fixture) : IAsyncLifetime
{
    private readonly List<(string Command, JsonElement Payload)> _received = [];
    private MqttClient _gateway = null!;

    public async Task InitializeAsync()
    {
        _gateway = new MqttClient(new MqttClientOptions { Port = fixture.Broker.Port, ClientId = $"gw-01-standin-{Guid.NewGuid():N}" }, NullLogger<MqttClient>.Instance);
        _gateway.MessageReceived = Answer;
        await _gateway.ConnectAsync(CancellationToken.None);
        await _gateway.SubscribeAsync(Topics.AllCommands("haizhu-demo", "gw-01"), MqttQos.AtLeastOnce);
        await _gateway.PublishAsync(Topics.Status("haizhu-demo", "gw-01"), GatewayStatus.Online("gw-01", ["quiet-please", "rate-limited"]),
            MqttQos.AtLeastOnce, retain: true);
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task An_installer_assigns_a_device_to_a_unit_and_its_readings_then_belong_to_that_units_landlord()
    {
        using var installer = await fixture.SignInAsync("installer");
        using var assign = await installer.PutAsync("api/devices/haizhu-demo/meter-new/assignment", new { unit = "room-302" });
        assign.StatusCode.Should().Be(HttpStatusCode.OK, await assign.Content.ReadAsStringAsync());
        (await fixture.Store.LoadRegistryAsync(CancellationToken.None)).Devices.Should().Contain(new Alerts.DeviceAssignment("haizhu-demo", "meter-new", "room-302"));

        using var landlord = await fixture.SignInAsync("landlord");
        await using var page = await DashboardLiveStream.OpenAsync(landlord);
        await fixture.PublishReadingAsync("haizhu-demo", "gw-01", "meter-new", 55, 1);
        var reading = await page.WaitForAsync("reading", r => r.GetProperty("device").GetString() == "meter-new", "the newly assigned meter on its landlord's page");
        reading.GetProperty("unit").GetString().Should().Be("room-302");

        using var elsewhere = await installer.PutAsync("api/devices/tianhe-demo/meter-x/assignment", new { unit = "room-901" });
        elsewhere.StatusCode.Should().Be(HttpStatusCode.NotFound, "the installer is not assigned to that site");
        using var wrongSite = await installer.PutAsync("api/devices/haizhu-demo/meter-x/assignment", new { unit = "room-901" });
        wrongSite.StatusCode.Should().Be(HttpStatusCode.BadRequest, "a unit of another site");

        using var admin = await fixture.SignInAsync("admin");
        (await admin.GetJsonAsync("api/audit?limit=1000")).EnumerateArray()
            .Should().Contain(e => e.GetProperty("action").GetString() == "device-assignment" && e.GetProperty("target").GetString() == "haizhu-demo/meter-new");
    }

    [Fact]
    public async Task An_installer_sets_a_noise_sensors_zone_class_in_the_shared_store_within_their_sites_only()
    {
        const string Zone = "api/devices/haizhu-demo/noise-stairwell/zone";
        using var installer = await fixture.SignInAsync("installer");
        using var set = await installer.PutAsync(Zone, new { zone = "4A" });
        set.StatusCode.Should().Be(HttpStatusCode.OK, await set.Content.ReadAsStringAsync());
        (await NoiseStairwellAsync()).Should().Be(new Alerts.DeviceAssignment("haizhu-demo", "noise-stairwell", Building: "block-3", NoiseZone: "4a"),
            "the class is stored by its standard name, with the sensor's place kept");
        var gateway = await installer.GetJsonAsync("api/gateways/haizhu-demo/gw-01");
        gateway.GetProperty("zoneClasses").EnumerateArray().Select(z => z.GetString()).Should().Equal("0", "1", "2", "3", "4a", "4b");

        using var unknown = await installer.PutAsync(Zone, new { zone = "5" });
        unknown.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await unknown.Content.ReadAsStringAsync()).Should().Contain("not a zone class of GB 3096-2008 (0, 1, 2, 3, 4a, 4b)");
        using var malformed = await installer.PutAsync(Zone, new { zone = 1 });
        malformed.StatusCode.Should().Be(HttpStatusCode.BadRequest);

        await Eventually.SucceedsAsync(async () =>
        {
            await fixture.PublishReadingAsync("haizhu-demo", "gw-01", "meter-zone", 40, 1);
            (await installer.GetJsonAsync("api/gateways/haizhu-demo/gw-01")).GetProperty("devices").EnumerateArray()
                .Should().Contain(d => d.GetProperty("device").GetString() == "meter-zone");
        }, TimeSpan.FromSeconds(10), "a meter's reading on the installer's gateway view");
        using var meter = await installer.PutAsync("api/devices/haizhu-demo/meter-zone/zone", new { zone = "1" });
        meter.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await meter.Content.ReadAsStringAsync()).Should().Contain("a zone class is for noise sensors");

        using var withoutToken = await installer.PutAsync(Zone, new { zone = "0" }, withCsrf: false);
        withoutToken.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await withoutToken.Content.ReadAsStringAsync()).Should().Contain("\"csrf\"");
        using var elsewhere = await installer.PutAsync("api/devices/tianhe-demo/noise-x/zone", new { zone = "0" });
        elsewhere.StatusCode.Should().Be(HttpStatusCode.NotFound, "the installer is not assigned to that site");
        using var landlord = await fixture.SignInAsync("landlord");
        using var notInstaller = await landlord.PutAsync(Zone, new { zone = "0" });
        notInstaller.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await NoiseStairwellAsync())!.NoiseZone.Should().Be("4a", "no refused request changed it");

        using var admin = await fixture.SignInAsync("admin");
        using var cleared = await admin.PutAsync(Zone, new { zone = (string?)null });
        cleared.StatusCode.Should().Be(HttpStatusCode.OK, await cleared.Content.ReadAsStringAsync());
        (await NoiseStairwellAsync()).Should().Be(new Alerts.DeviceAssignment("haizhu-demo", "noise-stairwell", Building: "block-3"), "back to ingest's settings");
        (await admin.GetJsonAsync("api/audit?limit=1000")).EnumerateArray().Where(e => e.GetProperty("action").GetString() == "noise-zone")
            .Select(e => (e.GetProperty("actor").GetString(), e.GetProperty("target").GetString(), e.GetProperty("detail").GetString()))
            .Should().BeEquivalentTo([("installer", "haizhu-demo/noise-stairwell", "class 4a"), ("admin", "haizhu-demo/noise-stairwell", "from ingest's noise settings")]);
    }

    private async Task<Alerts.DeviceAssignment?> NoiseStairwellAsync() =>
        (await fixture.Store.LoadRegistryAsync(CancellationToken.None)).Devices.SingleOrDefault(d => d.Site == "haizhu-demo" && d.Device == "noise-stairwell");

    [Fact]
    public async Task The_end_to_end_check_goes_through_the_broker_to_the_gateway_and_back()
    {
        await fixture.PublishReadingAsync("haizhu-demo", "gw-01", "meter-301", 20, 2);
        using var installer = await fixture.SignInAsync("installer");
        await Eventually.SucceedsAsync(async () =>
        {
            var sites = await installer.GetJsonAsync("api/sites");
            sites.EnumerateArray().Single().GetProperty("gateways").EnumerateArray()
                .Should().Contain(g => g.GetProperty("gateway").GetString() == "gw-01" && g.GetProperty("status").GetString() == "online");
        }, TimeSpan.FromSeconds(10), "gw-01 online on the installer's site list");

        using var check = await installer.PostAsync("api/gateways/haizhu-demo/gw-01/check");
        check.StatusCode.Should().Be(HttpStatusCode.OK, await check.Content.ReadAsStringAsync());
        var result = JsonDocument.Parse(await check.Content.ReadAsStringAsync()).RootElement;
        var steps = result.GetProperty("steps").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s);
        steps["broker"].GetProperty("ok").GetBoolean().Should().BeTrue();
        steps["gateway-online"].GetProperty("ok").GetBoolean().Should().BeTrue();
        steps["command-round-trip"].GetProperty("ok").GetBoolean().Should().BeTrue();
        steps["devices-answering"].GetProperty("ok").GetBoolean().Should().BeFalse("the stand-in reports meter-302 not answering");
        steps["devices-answering"].GetProperty("detail").GetString().Should().Contain("meter-302");
        result.GetProperty("ok").GetBoolean().Should().BeFalse();
        _received.Should().Contain(c => c.Command == CommandCodec.Diagnostics);

        using var other = await installer.PostAsync("api/gateways/tianhe-demo/gw-09/check");
        other.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_warden_triggers_an_on_site_warning_the_gateway_announced_which_is_sent_to_it_and_audited()
    {
        using var warden = await fixture.SignInAsync("warden");
        await Eventually.SucceedsAsync(async () =>
            (await warden.GetJsonAsync("api/warnings/haizhu-demo/gw-01/noise-courtyard/messages")).GetProperty("messages").EnumerateArray()
                .Select(m => m.GetString()).Should().Equal("quiet-please", "rate-limited"), TimeSpan.FromSeconds(10), "the warnings gw-01 announced");
        using var unknown = await warden.PostAsync("api/warnings", new { site = "haizhu-demo", gateway = "gw-01", target = "noise-courtyard", message = "no-indoor-charging" });
        unknown.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await unknown.Content.ReadAsStringAsync()).Should().Contain("has no recorded warning 'no-indoor-charging'; it has: quiet-please, rate-limited");
        _received.Should().NotContain(c => c.Command == CommandCodec.Warn, "a key the gateway does not have is not sent");

        using var warn = await warden.PostAsync("api/warnings", new { site = "haizhu-demo", gateway = "gw-01", target = "noise-courtyard", message = "quiet-please" });
        warn.StatusCode.Should().Be(HttpStatusCode.OK, await warn.Content.ReadAsStringAsync());
        _received.Should().Contain(c => c.Command == CommandCodec.Warn && c.Payload.GetProperty("target").GetString() == "noise-courtyard"
            && c.Payload.GetProperty("message").GetString() == "quiet-please");

        using var refused = await warden.PostAsync("api/warnings", new { site = "haizhu-demo", gateway = "gw-01", target = "noise-courtyard", message = "rate-limited" });
        refused.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        (await refused.Content.ReadAsStringAsync()).Should().Contain("rate limited");

        using var far = await fixture.SignInAsync("warden-far");
        using var hidden = await far.PostAsync("api/warnings", new { site = "haizhu-demo", gateway = "gw-01", target = "noise-courtyard", message = "quiet-please" });
        hidden.StatusCode.Should().Be(HttpStatusCode.NotFound, "another area's device");
        using var hiddenMessages = await far.GetAsync("api/warnings/haizhu-demo/gw-01/noise-courtyard/messages");
        hiddenMessages.StatusCode.Should().Be(HttpStatusCode.NotFound);

        using var admin = await fixture.SignInAsync("admin");
        (await admin.GetJsonAsync("api/audit?limit=1000")).EnumerateArray()
            .Should().Contain(e => e.GetProperty("action").GetString() == "warning" && e.GetProperty("actor").GetString() == "warden"
                && e.GetProperty("target").GetString() == "haizhu-demo/gw-01/noise-courtyard");
    }

    /// <summary>The stand-in gateway: warn succeeds unless its message is "rate-limited"; diagnostics reports meter-302 silent.</summary>
    private void Answer(MqttMessage message)
    {
        if (!Topics.TryParseCommand(message.Topic, out var topic)
            || !CommandCodec.TryParse(topic.Command, message.Payload, out var command, out var id, out _))
        {
            return;
        }

        lock (_received)
        {
            _received.Add((topic.Command, JsonDocument.Parse(message.Payload).RootElement.Clone()));
        }

        var reply = command switch
        {
            WarnCommand { MessageKey: "rate-limited" } => new CommandReply(id!, topic.Command, false, "rate limited until 2030-01-01T00:00:00Z"),
            DiagnosticsCommand => new CommandReply(id!, topic.Command, true, null, JsonDocument.Parse("""
                { "devices": [ { "id": "meter-301", "state": "answering" }, { "id": "meter-302", "state": "not answering" } ] }
                """).RootElement.Clone()),
            _ => new CommandReply(id!, topic.Command, true, null),
        };
        _ = _gateway.PublishAsync(Topics.Reply(topic.Site, topic.Gateway, topic.Command), CommandCodec.SerializeReply(reply), MqttQos.AtLeastOnce);
    }
}
