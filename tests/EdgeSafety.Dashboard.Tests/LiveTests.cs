using System.Diagnostics;
using System.Net;
using System.Text.Json;
using EdgeSafety.Alerts;
using Xunit.Abstractions;

namespace EdgeSafety.Dashboard.Tests;

/// <summary>
/// Live updates without reloading: alert changes made by another process (ingest) or another user, and readings
/// from the broker, reach open streams, each only to the users whose scope covers them.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class LiveTests(DashboardFixture fixture, ITestOutputHelper output) 
{
    [Fact]
    public async Task A_wardens_acknowledgement_reaches_the_landlords_open_page_and_their_api()
    {
        var alert = await fixture.RaiseAsync(AlertKind.EbikeCharging, "haizhu-demo", "gw-01", "meter-301", "room-301", "block-3");
        using var landlord = await fixture.SignInAsync("landlord");
        using var warden = await fixture.SignInAsync("warden");
        await using var page = await DashboardLiveStream.OpenAsync(landlord);

        var clock = Stopwatch.StartNew();
        using var acknowledge = await warden.PostAsync($"api/alerts/{alert.Id}/acknowledge");
        acknowledge.StatusCode.Should().Be(HttpStatusCode.OK, await acknowledge.Content.ReadAsStringAsync());
        await page.WaitForAsync("alert", a => a.GetProperty("id").GetInt64() == alert.Id && a.GetProperty("state").GetString() == "Acknowledged",
            "the acknowledgement on the landlord's stream");
        output.WriteLine($"acknowledgement on the landlord's stream after {clock.ElapsedMilliseconds} ms");

        var detail = await landlord.GetJsonAsync($"api/alerts/{alert.Id}");
        detail.GetProperty("alert").GetProperty("state").GetString().Should().Be("Acknowledged");
        detail.GetProperty("history").EnumerateArray().Should().Contain(h => h.GetProperty("action").GetString() == "acknowledged"
            && h.GetProperty("actor").GetString() == "warden-liang");

        using var dispatch = await warden.PostAsync($"api/alerts/{alert.Id}/dispatch", new { warden = "warden-zhou" });
        dispatch.StatusCode.Should().Be(HttpStatusCode.OK, await dispatch.Content.ReadAsStringAsync());
        var dispatched = await page.WaitForAsync("alert", a => a.GetProperty("id").GetInt64() == alert.Id && a.GetProperty("state").GetString() == "Dispatched",
            "the dispatch on the landlord's stream");
        dispatched.GetProperty("owner").GetString().Should().Be("warden-zhou");

        using var early = await warden.PostAsync($"api/alerts/{alert.Id}/close");
        early.StatusCode.Should().Be(HttpStatusCode.Conflict, "only a resolved alert closes");
        var order = JsonDocument.Parse(await dispatch.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
        using var accept = await warden.PostAsync($"api/work-orders/{order}/accept");
        accept.StatusCode.Should().Be(HttpStatusCode.OK, await accept.Content.ReadAsStringAsync());
        using var empty = await warden.PostAsync($"api/work-orders/{order}/feedback", new { notes = " " });
        empty.StatusCode.Should().Be(HttpStatusCode.BadRequest, "feedback is required");
        using var feedback = await warden.PostAsync($"api/work-orders/{order}/feedback", new { notes = "battery taken outside" });
        feedback.StatusCode.Should().Be(HttpStatusCode.OK, await feedback.Content.ReadAsStringAsync());
        using var close = await landlord.PostAsync($"api/alerts/{alert.Id}/close");
        close.StatusCode.Should().Be(HttpStatusCode.OK, await close.Content.ReadAsStringAsync());
        var closed = await page.WaitForAsync("alert", a => a.GetProperty("id").GetInt64() == alert.Id && a.GetProperty("state").GetString() == "Closed",
            "the close on the landlord's stream");
        closed.GetProperty("feedback").GetString().Should().Be("battery taken outside");
    }

    [Fact]
    public async Task A_new_alert_written_by_ingest_reaches_its_landlord_and_no_other()
    {
        using var chen = await fixture.SignInAsync("landlord");
        using var huang = await fixture.SignInAsync("landlord2");
        await using var chenPage = await DashboardLiveStream.OpenAsync(chen);
        await using var huangPage = await DashboardLiveStream.OpenAsync(huang);

        var chens = await fixture.RaiseAsync(AlertKind.ChargingUnusuallyLong, "haizhu-demo", "gw-01", "meter-302", "room-302", "block-3");
        var huangs = await fixture.RaiseAsync(AlertKind.ChargingUnusuallyLong, "haizhu-demo", "gw-01", "meter-304", "room-304", "block-3");
        await chenPage.WaitForAsync("alert", a => a.GetProperty("id").GetInt64() == chens.Id, "Chen's new alert on Chen's page");
        // Changes are pushed in the order they were stored: once Huang has his, he would have had Chen's before it.
        await huangPage.WaitForAsync("alert", a => a.GetProperty("id").GetInt64() == huangs.Id, "Huang's new alert on Huang's page");
        huangPage.Events.Where(e => e.Name == "alert").Select(e => e.Data.GetProperty("id").GetInt64()).Should().NotContain(chens.Id);
        chenPage.Events.Where(e => e.Name == "alert").Select(e => e.Data.GetProperty("unit").GetString()).Should().OnlyContain(u => u == "room-301" || u == "room-302");
    }

    [Fact]
    public async Task Readings_reach_only_the_pages_allowed_to_see_them()
    {
        using var chen = await fixture.SignInAsync("landlord");
        using var far = await fixture.SignInAsync("warden-far");
        await using var chenPage = await DashboardLiveStream.OpenAsync(chen);
        await using var farPage = await DashboardLiveStream.OpenAsync(far);

        await fixture.PublishReadingAsync("haizhu-demo", "gw-01", "meter-303", 40, 1);
        await fixture.PublishReadingAsync("haizhu-demo", "gw-01", "meter-301", 612, 1);
        await fixture.PublishReadingAsync("tianhe-demo", "gw-09", "meter-901", 75, 1);
        var reading = await chenPage.WaitForAsync("reading", r => r.GetProperty("device").GetString() == "meter-301", "meter-301's reading on Chen's page");
        reading.GetProperty("unit").GetString().Should().Be("room-301");
        reading.GetProperty("values").GetProperty("power_w").GetDouble().Should().Be(612);
        await farPage.WaitForAsync("reading", r => r.GetProperty("device").GetString() == "meter-901", "meter-901's reading on the Tianhe warden's page");

        // Published in order on one connection, so meter-303's came first: whoever did not get it was not meant to.
        chenPage.Events.Where(e => e.Name == "reading").Select(e => e.Data.GetProperty("device").GetString()).Should().NotContain("meter-303");
        farPage.Events.Where(e => e.Name == "reading").Select(e => e.Data.GetProperty("device").GetString()).Should().Equal("meter-901");
        (await chen.GetJsonAsync("api/devices")).EnumerateArray().Select(d => d.GetProperty("device").GetString()).Should().NotContain("meter-303");
    }

    [Fact]
    public async Task The_audit_log_records_sign_ins_and_alert_actions_keeps_its_chain_and_is_for_admins_only()
    {
        var alert = await fixture.RaiseAsync(AlertKind.NightNoiseBurst, "haizhu-demo", "gw-01", "meter-301", "room-301", "block-3");
        using var warden = await fixture.SignInAsync("warden");
        using var stranger = new DashboardSession(fixture.Server.BaseAddress);
        using var failed = await stranger.SignInAsync("warden", "wrong password");
        using var acknowledge = await warden.PostAsync($"api/alerts/{alert.Id}/acknowledge");
        acknowledge.StatusCode.Should().Be(HttpStatusCode.OK);

        using var admin = await fixture.SignInAsync("admin");
        var entries = (await admin.GetJsonAsync("api/audit?limit=1000")).EnumerateArray().ToList();
        entries.Should().Contain(e => Is(e, "sign-in", "warden", "warden"));
        entries.Should().Contain(e => Is(e, "sign-in-failed", "warden", "warden"));
        entries.Should().Contain(e => Is(e, "alert-acknowledge", "warden", $"alert {alert.Id}"));
        entries.Should().Contain(e => Is(e, "user-add", "cli", "landlord"));
        var verify = await admin.GetJsonAsync("api/audit/verify");
        verify.GetProperty("ok").GetBoolean().Should().BeTrue();
        verify.GetProperty("entries").GetInt32().Should().Be(entries.Count);

        foreach (var name in new[] { "warden", "landlord", "installer" })
        {
            using var session = await fixture.SignInAsync(name);
            using var refused = await session.GetAsync("api/audit");
            refused.StatusCode.Should().Be(HttpStatusCode.Forbidden, name);
        }
    }

    private static bool Is(JsonElement entry, string action, string actor, string target) =>
        entry.GetProperty("action").GetString() == action && entry.GetProperty("actor").GetString() == actor && entry.GetProperty("target").GetString() == target;
}
