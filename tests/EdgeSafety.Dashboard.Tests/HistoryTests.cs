using System.Net;
using EdgeSafety.Alerts;
using EdgeSafety.Influx;

namespace EdgeSafety.Dashboard.Tests;

/// <summary>Charts and reports: history from a real InfluxDB in time buckets, charging sessions, reports and the heat map, each scoped.</summary>
[Collection(DashboardCollection.Name)]
public sealed class HistoryTests(DashboardFixture fixture)
{
    [Fact]
    public async Task A_landlord_charts_their_meters_last_hour_with_its_charging_session_and_not_another_landlords()
    {
        using var http = new HttpClient();
        var influx = new InfluxClient(http, new InfluxOptions { BaseAddress = fixture.Influx.BaseAddress });
        await influx.EnsureDatabaseAsync();
        var now = DateTimeOffset.UtcNow;
        // A minute of readings every second, as ingest writes them: 600 W while charging, then 20 W.
        var points = Enumerable.Range(0, 60).Select(i => new InfluxPoint("meter", now.AddSeconds(-60 + i))
            .Tag("site", "haizhu-demo").Tag("gateway", "gw-01").Tag("device", "meter-301").Tag("unit", "room-301")
            .Field("power_w", i < 30 ? 600.0 : 20.0).Field("seq", (long)i)).ToList();
        await influx.WriteAsync(points);
        var charging = await fixture.RaiseAsync(AlertKind.EbikeCharging, "haizhu-demo", "gw-01", "meter-301", "room-301", "block-3");

        using var landlord = await fixture.SignInAsync("landlord");
        var history = await landlord.GetJsonAsync("api/history/haizhu-demo/meter-301?range=hour");
        history.GetProperty("bucketSeconds").GetInt32().Should().Be(10);
        history.GetProperty("fields").EnumerateArray().Select(f => f.GetString()).Should().Equal("power_w");
        var values = history.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("values").GetProperty("power_w").GetDouble()).ToList();
        values.Should().HaveCountGreaterThanOrEqualTo(6).And.HaveCountLessThanOrEqualTo(7, "a minute in 10-second buckets");
        values.Should().Contain(600).And.Contain(20);

        var sessions = await landlord.GetJsonAsync("api/history/haizhu-demo/meter-301/sessions?range=hour");
        sessions.EnumerateArray().Select(s => s.GetProperty("alertId").GetInt64()).Should().Contain(charging.Id);

        using var other = await landlord.GetAsync("api/history/haizhu-demo/meter-303?range=hour");
        other.StatusCode.Should().Be(HttpStatusCode.NotFound);
        using var badRange = await landlord.GetAsync("api/history/haizhu-demo/meter-301?range=year");
        badRange.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Reports_and_the_heat_map_count_only_the_wardens_own_area()
    {
        await fixture.RaiseAsync(AlertKind.NoiseExceedance, "haizhu-demo", "gw-01", "noise-courtyard", null, "block-3");
        await fixture.RaiseAsync(AlertKind.NoiseExceedance, "tianhe-demo", "gw-09", "noise-9", null, "block-9");
        using var warden = await fixture.SignInAsync("warden");
        using var far = await fixture.SignInAsync("warden-far");

        var report = await warden.GetJsonAsync("api/reports?period=week");
        report.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("building").GetString()).Should().OnlyContain(b => b == "block-3");
        var farReport = await far.GetJsonAsync("api/reports?period=week");
        farReport.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("building").GetString()).Should().OnlyContain(b => b == "block-9");
        farReport.GetProperty("total").GetInt32().Should().BeGreaterThan(0);

        var heatmap = await warden.GetJsonAsync("api/heatmap?period=week");
        heatmap.EnumerateArray().Select(c => c.GetProperty("building").GetString()).Should().Equal("block-3");
        heatmap[0].GetProperty("alerts").GetInt32().Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task A_browser_push_subscription_becomes_a_web_push_target_of_the_signed_in_person()
    {
        using var landlord = await fixture.SignInAsync("landlord2");
        using var key = await landlord.GetAsync("api/push/key");
        key.StatusCode.Should().Be(HttpStatusCode.NotFound, "Web Push is not configured on the test server");

        using var subscribe = await landlord.PostAsync("api/push/subscriptions",
            new { endpoint = "https://push.example.org/send/abc", keys = new { p256dh = "BPk", auth = "c2VjcmV0" } });
        subscribe.StatusCode.Should().Be(HttpStatusCode.NoContent, await subscribe.Content.ReadAsStringAsync());
        var person = (await fixture.Store.LoadRegistryAsync(CancellationToken.None)).People.Single(p => p.Id == "landlord-huang");
        person.Notifications.Targets.Should().Contain(t => t.Channel == Notifications.NotificationChannel.WebPush && t.Address == "https://push.example.org/send/abc");

        using var plain = await landlord.PostAsync("api/push/subscriptions", new { endpoint = "http://push.example.org/x", keys = new { p256dh = "a", auth = "b" } });
        plain.StatusCode.Should().Be(HttpStatusCode.BadRequest, "push endpoints are https");
        using var admin = await fixture.SignInAsync("admin");
        using var nobody = await admin.PostAsync("api/push/subscriptions", new { endpoint = "https://push.example.org/send/x", keys = new { p256dh = "a", auth = "b" } });
        nobody.StatusCode.Should().Be(HttpStatusCode.BadRequest, "an account without a registry person has nobody to notify");
    }
}
