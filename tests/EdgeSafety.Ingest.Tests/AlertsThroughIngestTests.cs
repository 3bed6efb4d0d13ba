using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeSafety.Contracts;
using EdgeSafety.Mqtt;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Ingest.Tests;

/// <summary>
/// The alert engine inside ingest as it runs in production: a gateway's status on a real mosquitto becomes an alert
/// in ingest's SQLite store and a signed webhook at a real receiver (a device's events too), the lifecycle API acts on it, and it survives a
/// restart of ingest.
/// </summary>
public sealed class AlertsThroughIngestTests : IAsyncLifetime
{
    private const string Secret = "ingest-test-secret";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http = new();
    private readonly TemporaryDirectory _data = new("ingest-alerts");
    private MosquittoBroker _broker = null!;
    private InfluxServer _influx = null!;
    private HttpReceiver _receiver = null!;
    private ExternalProcess _ingest = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartAsync();
        _influx = await InfluxServer.StartAsync();
        _receiver = await HttpReceiver.StartAsync();
        var warden = new { targets = new[] { new { channel = "Webhook", address = _receiver.Url("hooks/warden-1").ToString() } } };
        await File.WriteAllTextAsync(_data.Combine("registry.json"), JsonSerializer.Serialize(new
        {
            sites = new[] { new { id = "haizhu", name = "Haizhu" } },
            buildings = new[] { new { id = "block-3", site = "haizhu", name = "Block 3", area = "south" } },
            units = new[] { new { id = "room-301", building = "block-3", name = "Room 301" } },
            devices = new[] { new { site = "haizhu", device = "meter-301", unit = "room-301" } },
            people = new[] { new { id = "warden-1", name = "Warden One", role = "Warden", area = "south", preferences = warden } },
            gateways = new[] { new { site = "haizhu", gateway = "gw-01", building = "block-3" } },
        }));
        await StartIngestAsync();
    }

    public async Task DisposeAsync()
    {
        _ingest.Dispose();
        await _receiver.DisposeAsync();
        await _influx.DisposeAsync();
        await _broker.DisposeAsync();
        _http.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task A_gateway_going_offline_reaches_the_warden_as_a_signed_webhook_and_the_case_survives_a_restart()
    {
        await using var gateway = new MqttClient(new MqttClientOptions { Port = _broker.Port, ClientId = "test-gateway" }, new RecordingLogger<MqttClient>());
        await gateway.ConnectAsync(CancellationToken.None);
        await gateway.PublishAsync(Topics.Status("haizhu", "gw-01"), GatewayStatus.Offline("gw-01"), MqttQos.AtLeastOnce, retain: true);

        var request = await Eventually.ReturnsAsync(() => Task.FromResult(_receiver.Requests.FirstOrDefault()), Bound, "the webhook at the warden's receiver");
        request.Path.Should().Be("/hooks/warden-1");
        var body = JsonNode.Parse(request.BodyText)!;
        body.ToJsonString().Should().Contain("gateway-offline");
        WebhookSignature.Verify(request.Header("X-EdgeSafety-Signature"), request.Body, Secret, TimeSpan.FromMinutes(5)).Should().BeTrue();

        var alerts = await Eventually.ReturnsAsync(async () =>
        {
            var open = await _http.GetFromJsonAsync<JsonArray>(Api("api/alerts"));
            return open!.Count == 1 && (string?)open[0]!["state"] == "Notified" ? open : null;
        }, Bound, "the alert marked notified");
        var id = (long)alerts[0]!["id"]!;
        ((string?)alerts[0]!["kind"]).Should().Be("GatewayOffline");
        ((string?)alerts[0]!["building"]).Should().Be("block-3");
        var story = await _http.GetFromJsonAsync<JsonObject>(Api($"api/alerts/{id}"));
        ((string?)story!["deliveries"]![0]!["state"]).Should().Be("Delivered");

        // The lifecycle over HTTP: a refused step says why; a good one is recorded.
        using (var close = await _http.PostAsJsonAsync(Api($"api/alerts/{id}/close"), new { actor = "warden-1" }))
        {
            close.StatusCode.Should().Be(HttpStatusCode.Conflict);
            (await close.Content.ReadAsStringAsync()).Should().Contain("cannot become closed");
        }

        (await _http.PostAsJsonAsync(Api($"api/alerts/{id}/acknowledge"), new { actor = " " })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await _http.PostAsJsonAsync(Api("api/alerts/424242/acknowledge"), new { actor = "warden-1" })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _http.PostAsJsonAsync(Api($"api/alerts/{id}/acknowledge"), new { actor = "warden-1" })).EnsureSuccessStatusCode();

        // The gateway comes back: the condition clears; the case stays open until someone closes it.
        await gateway.PublishAsync(Topics.Status("haizhu", "gw-01"), GatewayStatus.Online("gw-01"), MqttQos.AtLeastOnce, retain: true);
        await Eventually.SucceedsAsync(async () =>
            (await _http.GetFromJsonAsync<JsonObject>(Api($"api/alerts/{id}")))!["alert"]!["clearedAt"].Should().NotBeNull(), Bound, "the alert cleared");

        // A restart of ingest loses nothing.
        await _ingest.StopGracefullyAsync(Bound);
        _ingest.Dispose();
        await StartIngestAsync();
        var after = await _http.GetFromJsonAsync<JsonObject>(Api($"api/alerts/{id}"));
        ((string?)after!["alert"]!["state"]).Should().Be("Acknowledged");
        after["history"]!.AsArray().Select(h => (string?)h!["action"]).Should().Equal("raised", "notified", "acknowledged", "cleared");
        after["history"]![2]!["actor"]!.GetValue<string>().Should().Be("warden-1");
        _receiver.Requests.Should().ContainSingle("the retained status seen again after the restart refreshes nothing new");
        ServiceProcess.ErrorLines(_ingest).Should().BeEmpty();
    }

    [Fact]
    public async Task A_meter_going_offline_opens_a_device_offline_alert_for_its_room_that_clears_when_it_answers_again()
    {
        await using var gateway = new MqttClient(new MqttClientOptions { Port = _broker.Port, ClientId = "test-gateway" }, new RecordingLogger<MqttClient>());
        await gateway.ConnectAsync(CancellationToken.None);
        var topic = Topics.Events("haizhu", "gw-01", "meter-301");
        await gateway.PublishAsync(topic, "{\"v\":1,\"device\":\"meter-301\""u8.ToArray(), MqttQos.AtLeastOnce);
        await gateway.PublishAsync(topic, DeviceEvent(DeviceEventKind.Offline, 0, new() { ["reason"] = "timeout", ["error"] = "no answer after 3 tries" }), MqttQos.AtLeastOnce);

        var alert = await Eventually.ReturnsAsync(async () =>
            (await _http.GetFromJsonAsync<JsonArray>(Api("api/alerts")))!.SingleOrDefault(), Bound, "an open alert");
        ((string?)alert!["kind"]).Should().Be("DeviceOffline");
        ((string?)alert["device"]).Should().Be("meter-301");
        ((string?)alert["unit"]).Should().Be("room-301");
        var id = (long)alert["id"]!;
        var story = await _http.GetFromJsonAsync<JsonObject>(Api($"api/alerts/{id}"));
        story!["alert"]!["evidence"]!.ToJsonString().Should().Contain("no answer after 3 tries");
        (await PrometheusText.ReadAsync(_http, Api("metrics"), "alerts_device_events_rejected_total{reason=\"not_json\"}")).Should().Be(1);

        await gateway.PublishAsync(topic, DeviceEvent(DeviceEventKind.Online, 1, []), MqttQos.AtLeastOnce);
        await Eventually.SucceedsAsync(async () =>
            (await _http.GetFromJsonAsync<JsonObject>(Api($"api/alerts/{id}")))!["alert"]!["clearedAt"].Should().NotBeNull(), Bound, "the alert cleared");
        ServiceProcess.ErrorLines(_ingest).Should().BeEmpty();
    }

    private static byte[] DeviceEvent(DeviceEventKind kind, long sequence, Dictionary<string, object> detail) =>
        DeviceEventCodec.Serialize(new DeviceEvent("meter-301", kind, sequence, DateTimeOffset.UtcNow, detail));

    private async Task StartIngestAsync()
    {
        _port = LoopbackPort.Next();
        _ingest = ServiceProcess.Start("EdgeSafety.Ingest", _port,
            $"--Mqtt:Port={_broker.Port}", $"--Influx:BaseAddress={_influx.BaseAddress}",
            $"--Alerts:RegistryPath={_data.Combine("registry.json")}", $"--Alerts:Store:SqlitePath={_data.Combine("alerts.db")}",
            "--Alerts:PollInterval=00:00:00.200", $"--Notifications:Webhook:Secret={Secret}");
        await _ingest.WaitForOutputAsync("Subscribed to edgesafety/v1/+/+/status", Bound);
        await ServiceProcess.WaitUntilHealthyAsync(_ingest, _port, Bound);
    }

    private Uri Api(string path) => new($"http://127.0.0.1:{_port}/{path}");
}
