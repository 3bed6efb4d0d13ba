using System.Collections.Concurrent;
using EdgeSafety.Alerts;
using EdgeSafety.Alerts.Store;
using EdgeSafety.Contracts;
using EdgeSafety.Influx;
using EdgeSafety.Ingest.Extensions;
using EdgeSafety.Mqtt;
using EdgeSafety.ServiceDefaults;
using EdgeSafety.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeSafety.Noise.Tests;

/// <summary>
/// Ingest's noise rules on readings published through a real mosquitto, per the protocol, stored in a real influxd.
/// Ingest is hosted in this process with its own service registrations, so the alert is read from the alert engine's
/// store.
/// </summary>
public sealed class LiveNoiseRulesTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>10:00 in Shanghai on a past day: a day-time loud period in a class 1 zone (limit 55).</summary>
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 10, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task A_persistent_exceedance_gets_two_warnings_on_site_and_raises_the_wardens_alert()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var influxServer = await InfluxServer.StartAsync();
        using var data = new TemporaryDirectory("noise-live");
        await using var ingest = await StartIngestAsync(broker, influxServer, data, zone: "1");
        var warnings = new ConcurrentQueue<(string Topic, byte[] Payload)>();
        var log = new RecordingLogger<MqttClient>();
        await using var gateway = await ConnectGatewayAsync(broker, log, warnings);

        // 70 dB every 2 s from 10:00 to 10:20, and the reading at 10:20 that closes the last window.
        await PublishLevelAsync(gateway, Start, Start.AddMinutes(20), 70);

        var store = ingest.Services.GetRequiredService<AlertEngine>().Store;
        var alerts = await Eventually.ReturnsAsync(async () =>
        {
            var open = await store.ListAlertsAsync(new AlertQuery(OpenOnly: true), CancellationToken.None);
            return open.Count > 0 ? open : null;
        }, Bound, "the wardens' alert in the alert store");
        var alert = alerts.Should().ContainSingle().Subject;
        (alert.Kind, alert.ClearedAt, alert.Site, alert.Gateway, alert.Device, alert.Unit, alert.FirstSeen)
            .Should().Be((AlertKind.NoiseExceedance, (DateTimeOffset?)null, "haizhu", "gw-07", "noise-plaza", "plaza-east", Start.AddMinutes(20)));
        alert.Evidence.Should().Contain(new Dictionary<string, string>
        {
            ["laeq_db"] = "70.0", ["limit_db"] = "55.0", ["period"] = "day", ["exceeding_since"] = "2026-06-01T02:10:00.000Z",
            ["warning_1_at"] = "2026-06-01T02:10:00.000Z", ["warning_2_at"] = "2026-06-01T02:20:00.000Z",
        });

        await Eventually.SucceedsAsync(() => warnings.Should().HaveCount(2), Bound, "both on-site warnings at the gateway");
        warnings.Select(w => w.Topic).Should().AllBe("edgesafety/v1/haizhu/gw-07/commands/warn");
        var commands = warnings.Select(w => CommandCodec.TryParse(CommandCodec.Warn, w.Payload, out var command, out _, out var rejection)
            ? (WarnCommand)command! : throw new InvalidOperationException(rejection!.Detail)).ToList();
        commands.Should().OnlyContain(c => c.Target == "noise-plaza" && c.MessageKey == "noise-exceedance" && c.Text == null);
        commands.Select(c => c.Id).Should().OnlyHaveUniqueItems();

        using var http = new HttpClient();
        var influx = new InfluxClient(http, new InfluxOptions { BaseAddress = influxServer.BaseAddress, Database = "edgesafety" });
        await Eventually.SucceedsAsync(async () =>
        {
            var steps = await influx.QueryAsync("SELECT laeq_db, limit_db FROM noise_event WHERE device = 'noise-plaza' GROUP BY event");
            steps.Select(s => (s.Tags["event"], s.Values.Count)).Should().BeEquivalentTo(
                [("exceedance", 1), ("on_site_warning", 2), ("warden_alert", 1)]);
            var windows = await influx.QueryAsync("SELECT laeq_db, energy, duration_s FROM noise_window WHERE device = 'noise-plaza' AND \"window\" = '5min'");
            windows.Single().Values.Should().HaveCount(4).And.OnlyContain(row => Math.Abs(row[1].GetDouble() - 70) < 1e-9 && row[3].GetDouble() == 300);
        }, Bound, "the windows and the rules' steps in InfluxDB");

        await ingest.StopAsync();
        log.ShouldHaveNoErrors();
    }

    [Fact]
    public async Task A_zone_class_set_in_the_shared_store_judges_the_sensor_from_the_registrys_next_reload_without_a_restart()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var influxServer = await InfluxServer.StartAsync();
        using var data = new TemporaryDirectory("noise-zone");
        // The settings put every sensor in class 2 (day limit 60): 58 dB is within it.
        var ingestLog = new RecordingLoggerProvider();
        await using var ingest = await StartIngestAsync(broker, influxServer, data, zone: "2", ingestLog);
        var log = new RecordingLogger<MqttClient>();
        await using var gateway = await ConnectGatewayAsync(broker, log, new ConcurrentQueue<(string, byte[])>());
        await PublishLevelAsync(gateway, Start, Start.AddMinutes(10).AddSeconds(-2), 58);

        // The dashboard writes the class into the store both share (another connection, as another process would);
        // ingest's engine notices the registry's new version within its poll interval.
        await using (var database = AlertDatabase.Create(new AlertStoreOptions { SqlitePath = data.Combine("alerts.db") }))
        {
            await new AlertStore(database).SetNoiseZoneAsync("haizhu", "noise-plaza", "1", CancellationToken.None);
        }

        var engine = ingest.Services.GetRequiredService<AlertEngine>();
        await Eventually.SucceedsAsync(() => engine.LoadedRegistry!.NoiseZoneOf("haizhu", "noise-plaza").Should().Be("1"), Bound, "ingest reloaded the registry");
        await PublishLevelAsync(gateway, Start.AddMinutes(10), Start.AddMinutes(30), 58);

        var alert = await Eventually.ReturnsAsync(async () =>
            (await engine.Store.ListAlertsAsync(new AlertQuery(OpenOnly: true), CancellationToken.None)).SingleOrDefault(), Bound, "the wardens' alert under class 1");
        (alert.Kind, alert.Device, alert.FirstSeen).Should().Be((AlertKind.NoiseExceedance, "noise-plaza", Start.AddMinutes(30)));
        alert.Evidence.Should().Contain(new Dictionary<string, string> { ["laeq_db"] = "58.0", ["limit_db"] = "55.0", ["exceeding_since"] = "2026-06-01T02:20:00.000Z" });

        using var http = new HttpClient();
        var influx = new InfluxClient(http, new InfluxOptions { BaseAddress = influxServer.BaseAddress, Database = "edgesafety" });
        await Eventually.SucceedsAsync(async () =>
        {
            var windows = await influx.QueryAsync("SELECT limit_db FROM noise_window WHERE device = 'noise-plaza' AND \"window\" = '5min'");
            windows.Single().Values.Select(row => row[1].GetDouble()).Should().Equal([60, 60, 55, 55, 55, 55], "windows opened after the change are judged by class 1");
        }, Bound, "the windows in InfluxDB");
        await ingestLog.WaitForAsync("Noise sensor haizhu/gw-07/noise-plaza: zone class 1 from the registry, limits now 55/45 dB(A)", Bound);

        // The class cleared in the dashboard: the settings' class 2 judges the sensor again, and the log says so.
        await engine.Store.SetNoiseZoneAsync("haizhu", "noise-plaza", null, CancellationToken.None);
        await Eventually.SucceedsAsync(() => engine.LoadedRegistry!.NoiseZoneOf("haizhu", "noise-plaza").Should().BeNull(), Bound, "ingest reloaded the registry");
        await PublishLevelAsync(gateway, Start.AddMinutes(30).AddSeconds(2), Start.AddMinutes(30).AddSeconds(2), 58);
        await ingestLog.WaitForAsync("Noise sensor haizhu/gw-07/noise-plaza: zone class cleared in the registry, back to the settings' limits 60/50 dB(A)", Bound);

        await ingest.StopAsync();
        log.ShouldHaveNoErrors();
    }

    /// <summary>Ingest hosted in this process with its own registrations, every sensor in the given zone class by its settings.</summary>
    private static async Task<WebApplication> StartIngestAsync(MosquittoBroker broker, InfluxServer influx, TemporaryDirectory data, string zone,
        RecordingLoggerProvider? ingestLog = null)
    {
        var builder = WebApplication.CreateBuilder([
            $"--urls=http://127.0.0.1:{LoopbackPort.Next()}", $"--Mqtt:Port={broker.Port}", "--Mqtt:ClientId=ingest-under-test",
            $"--Influx:BaseAddress={influx.BaseAddress}", "--Ingest:FlushIntervalMilliseconds=100", $"--Noise:Defaults:Zone={zone}",
            $"--Store:Directory={data.Combine("spill")}", $"--Alerts:Store:SqlitePath={data.Combine("alerts.db")}",
            $"--Alerts:RegistryPath={RepositoryPaths.File("ingest", "EdgeSafety.Ingest", "alert-registry.demo.json")}",
        ]);
        builder.AddServiceDefaults();
        ingestLog ??= new RecordingLoggerProvider();
        builder.Logging.AddProvider(ingestLog);
        builder.AddIngestServices();
        var ingest = builder.Build();
        await ingest.StartAsync();

        // Ingest subscribes in the background after it starts, and the broker keeps nothing for a subscription that does
        // not exist yet: the test publishes once ingest's readings connection says every filter is in place.
        await ingestLog.WaitForAsync(ServiceProcess.ReadingsSubscribed, Bound);
        return ingest;
    }

    /// <summary>Gateway gw-07 of site haizhu, listening for warn commands.</summary>
    private static async Task<MqttClient> ConnectGatewayAsync(MosquittoBroker broker, RecordingLogger<MqttClient> log,
        ConcurrentQueue<(string Topic, byte[] Payload)> warnings)
    {
        var gateway = new MqttClient(new MqttClientOptions { Port = broker.Port, ClientId = "gw-07" }, log)
        {
            MessageReceived = message => warnings.Enqueue((message.Topic, message.Payload)),
        };
        await gateway.ConnectAsync(CancellationToken.None);
        await gateway.SubscribeAsync("edgesafety/v1/+/+/commands/warn", MqttQos.AtLeastOnce);

        return gateway;
    }

    /// <summary>Sensor noise-plaza at one level every 2 s from one time to another, both included (its sequence numbers count from the first).</summary>
    private static async Task PublishLevelAsync(MqttClient gateway, DateTimeOffset from, DateTimeOffset to, double db)
    {
        for (var (at, seq) = (from, (long)(from - Start).TotalSeconds / 2); at <= to; at = at.AddSeconds(2), seq++)
        {
            var reading = new Reading("noise-plaza", DeviceKind.Noise, "noise-sensor-hr0", "plaza-east", seq, at, new Dictionary<string, double> { ["db_a"] = db });
            await gateway.PublishAsync(Topics.Readings("haizhu", "gw-07", "noise-plaza"), ReadingCodec.Serialize(reading), MqttQos.AtLeastOnce);
        }
    }
}
