using EdgeSafety.Alerts;
using EdgeSafety.Alerts.Store;
using EdgeSafety.Appliances;
using EdgeSafety.Contracts;
using EdgeSafety.Influx;
using EdgeSafety.Ingest.Extensions;
using EdgeSafety.Mqtt;
using EdgeSafety.ServiceDefaults;
using EdgeSafety.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeSafety.Ingest.Tests;

/// <summary>
/// Ingest's services as the program composes them, in this process so the alert engine's store can be read directly,
/// against a real mosquitto and influxd; meters of simulated households publish as the protocol says.
/// </summary>
public sealed class ChargingAlertTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly HttpClient _http = new();
    private readonly TemporaryDirectory _data = new("ingest-charging");
    private readonly RecordingLoggerProvider _log = new();
    private MosquittoBroker _broker = null!;
    private InfluxServer _influx = null!;
    private WebApplication _ingest = null!;

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartAsync();
        _influx = await InfluxServer.StartAsync();
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Urls"] = $"http://127.0.0.1:{LoopbackPort.Next()}",
            ["Mqtt:Port"] = _broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mqtt:ClientId"] = "ingest-charging-test",
            ["Influx:BaseAddress"] = _influx.BaseAddress.ToString(),
            ["Ingest:FlushIntervalMilliseconds"] = "100",
            ["Charging:ModelsDirectory"] = RepositoryPaths.File("analytics", "models"),
            ["Store:Directory"] = _data.Combine("spill"),
            ["Alerts:Store:SqlitePath"] = _data.Combine("alerts.db"),
            ["Alerts:RegistryPath"] = RepositoryPaths.File("ingest", "EdgeSafety.Ingest", "alert-registry.demo.json"),
        });
        builder.AddServiceDefaults();
        builder.Logging.AddProvider(_log);
        builder.AddIngestServices();
        _ingest = builder.Build();
        await _ingest.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _ingest.StopAsync();
        await _ingest.DisposeAsync();
        await _influx.DisposeAsync();
        await _broker.DisposeAsync();
        _http.Dispose();
        _data.Dispose();
        _log.Dispose();
    }

    [Fact]
    public async Task A_charger_plugged_in_raises_the_charging_signal_for_its_unit_and_look_alikes_raise_none()
    {
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        var charging = new LiveHousehold(21, start, new LiveHouseholdOptions { Schedule = false });
        var lookAlikes = new LiveHousehold(22, start, new LiveHouseholdOptions { Schedule = false });
        foreach (var household in new[] { charging, lookAlikes })
        {
            household.PlugIn(ApplianceKind.Router);
            household.PlugIn(ApplianceKind.LedLighting);
        }

        await using var publisher = new MqttClient(new MqttClientOptions { Port = _broker.Port, ClientId = "gateway-test" }, new RecordingLogger<MqttClient>());
        await publisher.ConnectAsync(CancellationToken.None);
        await _log.WaitForAsync(ServiceProcess.ReadingsSubscribed, Bound);
        DateTimeOffset? pluggedIn = null;
        const int Seconds = 420;
        for (var second = 1; second <= Seconds; second++)
        {
            if (second == 120)
            {
                pluggedIn = charging.PlugIn(ApplianceKind.EbikeLithium60V, stateOfCharge: 0.4).PluggedIn;
                lookAlikes.PlugIn(ApplianceKind.LaptopCharger);
            }

            if (second == 240)
            {
                lookAlikes.PlugIn(ApplianceKind.Kettle);
            }

            if (second == 400)
            {
                lookAlikes.Unplug(ApplianceKind.Kettle);
            }

            await PublishAsync(publisher, "meter-301", "room-301", second, charging.Advance(TimeSpan.FromSeconds(1)));
            await PublishAsync(publisher, "meter-302", "room-302", second, lookAlikes.Advance(TimeSpan.FromSeconds(1)));
        }

        var influx = new InfluxClient(_http, new InfluxOptions { BaseAddress = _influx.BaseAddress, Database = "edgesafety" });
        await Eventually.SucceedsAsync(async () =>
        {
            var series = await influx.QueryAsync("SELECT count(power_w) FROM meter GROUP BY device");
            series.Select(s => s.Values.Single()[1].GetInt64()).Should().Equal(Seconds, Seconds);
        }, Bound, "every reading of both meters stored");

        var store = _ingest.Services.GetRequiredService<AlertEngine>().Store;
        var alerts = await Eventually.ReturnsAsync(async () =>
        {
            var open = await store.ListAlertsAsync(new AlertQuery(OpenOnly: true, FlaggedOnly: false), CancellationToken.None);
            return open.Count > 0 ? open : null;
        }, Bound, "the charging alert in the alert store");
        var alert = alerts.Should().ContainSingle().Subject;
        alert.Kind.Should().Be(AlertKind.EbikeCharging);
        alert.ClearedAt.Should().BeNull();
        (alert.Site, alert.Gateway, alert.Device, alert.Unit).Should().Be(("haizhu", "gw-01", "meter-301", "room-301"));
        (alert.FirstSeen - pluggedIn!.Value).Should().BeLessThan(TimeSpan.FromMinutes(1));
        DateTimeOffset.Parse(alert.Evidence["started_at"], System.Globalization.CultureInfo.InvariantCulture).Should().BeCloseTo(pluggedIn.Value, TimeSpan.FromSeconds(2));
        double.Parse(alert.Evidence["power_w"], System.Globalization.CultureInfo.InvariantCulture).Should().BeInRange(80, 400);
        double.Parse(alert.Evidence["confidence"], System.Globalization.CultureInfo.InvariantCulture).Should().BeInRange(0.8, 1);
        alert.Evidence["tier"].Should().Be("harmonic");

        await Eventually.SucceedsAsync(async () =>
        {
            var sessions = await influx.QueryAsync("SELECT event, stage, power_added_w FROM charging_session GROUP BY device, unit");
            var session = sessions.Should().ContainSingle().Subject;
            session.Tags.Should().Contain("device", "meter-301").And.Contain("unit", "room-301");
            session.Values.First()[1].GetString().Should().Be("started");
        }, Bound, "the charging_session point of the confirmed session");
    }

    private static Task PublishAsync(MqttClient publisher, string device, string unit, long seq, MeterSample sample)
    {
        var values = new Dictionary<string, double>();
        sample.WriteValues(values, decimals: 3);

        var reading = new Reading(device, DeviceKind.Meter, "harmonic-meter", unit, seq, sample.Timestamp, values);
        return publisher.PublishAsync(Topics.Readings("haizhu", "gw-01", device), ReadingCodec.Serialize(reading), MqttQos.AtLeastOnce);
    }
}
