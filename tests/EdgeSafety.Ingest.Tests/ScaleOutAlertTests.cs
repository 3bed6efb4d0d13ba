using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeSafety.Contracts;
using EdgeSafety.Mqtt;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Ingest.Tests;

/// <summary>
/// Device events and gateway status with several ingest instances (docs/scale-out.md): every instance receives them,
/// and only the instance that takes the device's (or gateway's) partition acts, so an event published once is one
/// alert and one notification even when each instance has its own alert store. Real mosquitto, real influxd, two ingest
/// processes, a real webhook receiver standing for the landlord's and the warden's phones.
/// </summary>
public sealed class ScaleOutAlertTests : IAsyncLifetime
{
    private const string Site = "haizhu";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private static readonly string[] Meters = ["meter-1", "meter-2", "meter-3", "meter-4"];
    private static readonly string[] Gateways = ["gw-01", "gw-02"];
    private readonly HttpClient _http = new();
    private readonly TemporaryDirectory _data = new("ingest-scale-out");
    private MosquittoBroker _broker = null!;
    private InfluxServer _influx = null!;
    private HttpReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartAsync();
        _influx = await InfluxServer.StartAsync();
        _receiver = await HttpReceiver.StartAsync();
        object Hook(string person) => new { targets = new[] { new { channel = "Webhook", address = _receiver.Url($"hooks/{person}").ToString() } } };
        await File.WriteAllTextAsync(_data.Combine("registry.json"), JsonSerializer.Serialize(new
        {
            sites = new[] { new { id = Site, name = "Haizhu" } },
            buildings = new[] { new { id = "block-3", site = Site, name = "Block 3", area = "south" } },
            units = Meters.Select(m => new { id = $"room-{m}", building = "block-3", name = $"Room of {m}", landlord = "landlord-1" }),
            devices = Meters.Select(m => new { site = Site, device = m, unit = $"room-{m}" }),
            people = new object[]
            {
                new { id = "landlord-1", name = "Landlord One", role = "Landlord", preferences = Hook("landlord-1") },
                new { id = "warden-1", name = "Warden One", role = "Warden", area = "south", preferences = Hook("warden-1") },
            },
            gateways = Gateways.Select(g => new { site = Site, gateway = g, building = "block-3" }),
        }));
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _influx.DisposeAsync();
        await _broker.DisposeAsync();
        _http.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task Two_instances_with_their_own_stores_raise_one_alert_and_send_one_notification_per_device_event_and_gateway_status()
    {
        // Both halves of the partitions hold some of the devices and one of the gateways, so each instance has work.
        Meters.Should().Contain(m => Topics.Partition(Site, "gw-01", m) < 32).And.Contain(m => Topics.Partition(Site, "gw-01", m) >= 32);
        Gateways.Select(g => Topics.GatewayPartition(Site, g) < 32).Should().OnlyHaveUniqueItems();

        var portA = LoopbackPort.Next();
        using var ingestA = await StartIngestAsync(portA, "a", "0-31", unpartitioned: true);
        var portB = LoopbackPort.Next();
        using var ingestB = await StartIngestAsync(portB, "b", "32-63", unpartitioned: false);

        await using var gateway = new MqttClient(new MqttClientOptions { Port = _broker.Port, ClientId = "test-gateway" }, new RecordingLogger<MqttClient>());
        await gateway.ConnectAsync(CancellationToken.None);
        foreach (var meter in Meters)
        {
            var offline = new DeviceEvent(meter, DeviceEventKind.Offline, 0, DateTimeOffset.UtcNow, new Dictionary<string, object> { ["reason"] = "timeout" });
            await gateway.PublishAsync(Topics.Events(Site, "gw-01", meter), DeviceEventCodec.Serialize(offline), MqttQos.AtLeastOnce);
        }

        foreach (var id in Gateways)
        {
            await gateway.PublishAsync(Topics.Status(Site, id), GatewayStatus.Offline(id), MqttQos.AtLeastOnce, retain: true);
        }

        // A broken event of the first meter and a status of another gateway on the first gateway's topic: every instance
        // receives them, and only the instance of their partition may count and log them.
        await gateway.PublishAsync(Topics.Events(Site, "gw-01", Meters[0]), "{\"v\":1,\"device\":"u8.ToArray(), MqttQos.AtLeastOnce);
        await gateway.PublishAsync(Topics.Status(Site, Gateways[0]), GatewayStatus.Offline("gw-99"), MqttQos.AtLeastOnce);

        // Each instance counts what it leaves to the other: once the counts add up, both have decided on every message,
        // and once every raised alert is notified, no further alert or notification can come from them.
        await Eventually.SucceedsAsync(async () =>
        {
            var left = await LeftToOtherAsync(portA, "event") + await LeftToOtherAsync(portB, "event");
            var leftStatus = await LeftToOtherAsync(portA, "status") + await LeftToOtherAsync(portB, "status");
            var refused = await RefusedEventsAsync(portA) + await RefusedEventsAsync(portB);
            var refusedStatus = await RefusedStatusAsync(portA) + await RefusedStatusAsync(portB);
            var alerts = (await AlertsAsync(portA)).Concat(await AlertsAsync(portB)).ToList();
            (left + refused + alerts.Count(a => a.Kind == "DeviceOffline")).Should().Be((Meters.Length + 1) * 2,
                "each instance acted on an event, refused it or left it to the other");
            (leftStatus + refusedStatus + alerts.Count(a => a.Kind == "GatewayOffline")).Should().Be((Gateways.Length + 1) * 2);
            alerts.Should().OnlyContain(a => a.State == "Notified");
        }, Bound, "both instances to decide on every event and status and the alerts to be notified");

        var meterOnA = Topics.Partition(Site, "gw-01", Meters[0]) < 32;
        (await RefusedEventsAsync(portA), await RefusedEventsAsync(portB)).Should().Be(meterOnA ? (1, 0) : (0, 1),
            "the instance of the meter's partition counts the broken event, once");
        var gatewayOnA = Topics.GatewayPartition(Site, Gateways[0]) < 32;
        (await RefusedStatusAsync(portA), await RefusedStatusAsync(portB)).Should().Be(gatewayOnA ? (1, 0) : (0, 1));
        const string refusedEventLog = "Rejected a device event on";
        const string refusedStatusLog = "Ignored a gateway status on";
        (meterOnA ? ingestA : ingestB).Output.Should().Contain(refusedEventLog);
        (meterOnA ? ingestB : ingestA).Output.Should().NotContain(refusedEventLog, "one warning for one broken event");
        (gatewayOnA ? ingestA : ingestB).Output.Should().Contain(refusedStatusLog);
        (gatewayOnA ? ingestB : ingestA).Output.Should().NotContain(refusedStatusLog);

        var alertsA = await AlertsAsync(portA);
        var alertsB = await AlertsAsync(portB);
        alertsA.Where(a => a.Kind == "DeviceOffline").Select(a => a.Device).Should()
            .BeEquivalentTo(Meters.Where(m => Topics.Partition(Site, "gw-01", m) < 32), "A raises the alerts of the devices in its partitions");
        alertsB.Where(a => a.Kind == "DeviceOffline").Select(a => a.Device).Should()
            .BeEquivalentTo(Meters.Where(m => Topics.Partition(Site, "gw-01", m) >= 32));
        alertsA.Where(a => a.Kind == "GatewayOffline").Select(a => a.Gateway).Should().Equal(Gateways.Where(g => Topics.GatewayPartition(Site, g) < 32));
        alertsB.Where(a => a.Kind == "GatewayOffline").Select(a => a.Gateway).Should().Equal(Gateways.Where(g => Topics.GatewayPartition(Site, g) >= 32));

        // One notification per alert: the landlord hears of each meter once, the warden of each gateway once.
        var requests = _receiver.Requests;
        requests.Where(r => r.Path == "/hooks/landlord-1").Should().HaveCount(Meters.Length);
        requests.Where(r => r.Path == "/hooks/warden-1").Should().HaveCount(Gateways.Length);
        foreach (var meter in Meters)
        {
            requests.Should().ContainSingle(r => r.BodyText.Contains($"\"{meter}\"", StringComparison.Ordinal), $"{meter} went offline once");
        }

        ServiceProcess.ErrorLines(ingestA).Should().BeEmpty();
        ServiceProcess.ErrorLines(ingestB).Should().BeEmpty();
    }

    private async Task<ExternalProcess> StartIngestAsync(int port, string name, string partitions, bool unpartitioned)
    {
        var ingest = ServiceProcess.Start("EdgeSafety.Ingest", port,
            $"--Mqtt:Port={_broker.Port}", $"--Mqtt:ClientId=ingest-{name}", $"--Influx:BaseAddress={_influx.BaseAddress}",
            $"--Ingest:Partitions={partitions}", $"--Ingest:Unpartitioned={unpartitioned}", $"--Store:Directory={_data.Combine($"spill-{name}")}",
            $"--Alerts:RegistryPath={_data.Combine("registry.json")}", $"--Alerts:Store:SqlitePath={_data.Combine($"alerts-{name}.db")}",
            "--Alerts:PollInterval=00:00:00.200", "--Notifications:Webhook:Secret=scale-out-test-secret");
        await ingest.WaitForOutputAsync("Subscribed to edgesafety/v1/+/+/status", Bound);
        await ingest.WaitForOutputAsync("Subscribed to edgesafety/v1/+/+/events/+", Bound);
        await ServiceProcess.WaitUntilHealthyAsync(ingest, port, Bound);
        return ingest;
    }

    private async Task<List<(string Kind, string Gateway, string Device, string State)>> AlertsAsync(int port)
    {
        var alerts = await _http.GetFromJsonAsync<JsonArray>(new Uri($"http://127.0.0.1:{port}/api/alerts?open=false")) ?? [];
        return [.. alerts.Select(a => ((string)a!["kind"]!, (string)a["gateway"]!, (string?)a["device"] ?? "", (string)a["state"]!))];
    }

    private Task<double> RefusedEventsAsync(int port) =>
        PrometheusText.ReadAsync(_http, new Uri($"http://127.0.0.1:{port}/metrics"), "alerts_device_events_rejected_total{reason=\"not_json\"}");

    private Task<double> RefusedStatusAsync(int port) =>
        PrometheusText.ReadAsync(_http, new Uri($"http://127.0.0.1:{port}/metrics"), "alerts_status_rejected_total");

    private Task<double> LeftToOtherAsync(int port, string source) =>
        PrometheusText.ReadAsync(_http, new Uri($"http://127.0.0.1:{port}/metrics"), $"alerts_left_to_other_instances_total{{source=\"{source}\"}}");
}
