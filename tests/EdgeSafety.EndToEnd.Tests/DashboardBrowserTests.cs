using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static EdgeSafety.EndToEnd.Tests.DashboardPages;

namespace EdgeSafety.EndToEnd.Tests;

/// <summary>
/// The dashboard in Chromium against the running stack (issue 7): each role signs in to its own screen, a landlord
/// sees only their own rooms, a simulated charger's alert reaches the warden's open page live and the warden's steps
/// reach the landlord's open page within a second, an installer assigns a device, sets a noise sensor's zone class
/// and runs the end-to-end check.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed partial class DashboardBrowserTests(DashboardStack dashboard) : IDisposable
{
    private const string Charger = "ebike-lead-acid-72v";
    private static readonly TimeSpan Bound = RunningStack.Bound;
    private static readonly TimeSpan Live = TimeSpan.FromSeconds(1);
    private readonly HttpClient _http = new();
    private readonly List<string> _scriptErrors = [];

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Each_role_signs_in_to_its_own_screen()
    {
        await using var wardenContext = await dashboard.NewContextAsync();
        var warden = await SignInAsync(wardenContext, "warden");
        await Assertions.Expect(warden.Locator("#nav a[aria-current=page]")).ToHaveTextAsync("District");
        var block3 = warden.Locator(".district-map [data-building='block-3']");
        await Assertions.Expect(block3).ToBeVisibleAsync(Visible(Bound));
        // The courtyard sensor's level arrives live on the map.
        await Assertions.Expect(warden.Locator("[data-noise='block-3']")).ToHaveTextAsync(DecibelText(), new() { Timeout = (float)Bound.TotalMilliseconds });
        await ScreenshotAsync(warden, "warden-district");
        await warden.Locator("#nav a[href='#/reports']").ClickAsync();
        await Assertions.Expect(warden.Locator("svg.heat")).ToBeVisibleAsync(Visible(Bound));
        await Assertions.Expect(warden.Locator("svg.bars rect.bar")).ToHaveCountAsync(6);
        await ScreenshotAsync(warden, "warden-reports");

        // The landlord's screen is made for a phone.
        await using var landlordContext = await dashboard.NewContextAsync(width: 412, height: 900);
        var landlord = await SignInAsync(landlordContext, "landlord");
        await Assertions.Expect(landlord.Locator("a.unit-card")).ToHaveCountAsync(2, new() { Timeout = (float)Bound.TotalMilliseconds });
        await Assertions.Expect(landlord.Locator("a.unit-card[data-unit='room-301']")).ToBeVisibleAsync();
        await Assertions.Expect(landlord.Locator("a.unit-card[data-unit='room-302']")).ToBeVisibleAsync();
        await ScreenshotAsync(landlord, "landlord-phone");

        await using var installerContext = await dashboard.NewContextAsync();
        var installer = await SignInAsync(installerContext, "installer");
        await Assertions.Expect(installer.Locator("[data-device='meter-301'] [data-value='voltage_v']")).ToHaveTextAsync(new Regex(@"^\d+(\.\d)? V$"),
            new() { Timeout = (float)Bound.TotalMilliseconds });
        await Assertions.Expect(installer.Locator("[data-device='noise-courtyard']")).ToHaveAttributeAsync("data-answering", "yes");
        await ScreenshotAsync(installer, "installer-gateway");

        _scriptErrors.Should().BeEmpty("the pages run under a strict content security policy without errors");
    }

    [Fact]
    public async Task A_warden_plays_one_of_the_warnings_the_gateway_announced_on_site()
    {
        await using var context = await dashboard.NewContextAsync();
        var page = await SignInAsync(context, "warden");
        await Assertions.Expect(page.Locator("[data-noise='block-3']")).ToHaveTextAsync(DecibelText(), new() { Timeout = (float)Bound.TotalMilliseconds });
        await page.Locator(".district-map [data-building='block-3']").ClickAsync();
        var messages = page.Locator("#warning-message option");
        await Assertions.Expect(messages).ToHaveCountAsync(2, new() { Timeout = (float)Bound.TotalMilliseconds });
        (await messages.EvaluateAllAsync<string[]>("options => options.map(o => o.value)")).Should().Equal("noise-exceedance", "quiet-hours");
        await page.Locator("#warning-message").SelectOptionAsync("quiet-hours");
        await page.Locator("form.warning button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("form.warning .action-status")).ToHaveTextAsync("The warning is playing on site.", new() { Timeout = (float)Bound.TotalMilliseconds });
        _scriptErrors.Should().BeEmpty();
    }

    [Fact]
    public async Task An_admin_reads_the_audit_log_newest_first_with_its_hash_chain_checked()
    {
        await using var context = await dashboard.NewContextAsync();
        var page = await SignInAsync(context, "admin");
        await page.Locator("#nav a[href='#/audit']").ClickAsync();
        await Assertions.Expect(page.Locator(".audit-verdict")).ToHaveAttributeAsync("data-ok", "true", new() { Timeout = (float)Bound.TotalMilliseconds });
        // The admin's own sign-in is the newest entry.
        var newest = page.Locator("table.audit-log tbody tr").First;
        await Assertions.Expect(newest).ToHaveAttributeAsync("data-action", "sign-in");
        await Assertions.Expect(newest.Locator("td").Nth(1)).ToHaveTextAsync("admin");
        await ScreenshotAsync(page, "admin-audit");
        _scriptErrors.Should().BeEmpty();
    }

    [Fact]
    public async Task The_language_follows_the_browser_can_be_switched_and_is_remembered()
    {
        await using var context = await dashboard.NewContextAsync(locale: "zh-CN", width: 412, height: 900);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator("#sign-in-title")).ToHaveTextAsync("登录");

        await page.Locator("#sign-in-name").FillAsync("landlord");
        await page.Locator("#sign-in-password").FillAsync("wrong password");
        await page.Locator("form.sign-in button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#sign-in-error")).ToHaveTextAsync("用户名或密码错误。");

        await page.Locator("#language").SelectOptionAsync("en");
        await Assertions.Expect(page.Locator("#sign-in-title")).ToHaveTextAsync("Sign in");
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#sign-in-title")).ToHaveTextAsync("Sign in");
        (await page.Locator("html").GetAttributeAsync("lang")).Should().Be("en");
    }

    [Fact]
    public async Task A_landlord_sees_only_their_own_rooms_whatever_the_address()
    {
        await using var context = await dashboard.NewContextAsync(width: 412, height: 900);
        var page = await SignInAsync(context, "landlord");

        // Room 303 is Huang's: the API answers as if it did not exist, and so does the page at its address.
        (await context.APIRequest.GetAsync("/api/units/room-303")).Status.Should().Be(404);
        (await context.APIRequest.GetAsync("/api/units/room-301")).Status.Should().Be(200);
        var buildings = JsonNode.Parse(await (await context.APIRequest.GetAsync("/api/buildings")).TextAsync())!.AsArray();
        buildings.SelectMany(b => b!["units"]!.AsArray()).Select(u => (string?)u!["id"]).Should().BeEquivalentTo("room-301", "room-302");

        await page.GotoAsync("/#/unit/room-303");
        await Assertions.Expect(page.Locator("main .error")).ToHaveTextAsync("Not found, or not yours to see.");
        await page.GotoAsync("/#/unit/room-301");
        await Assertions.Expect(page.Locator(".unit[data-unit='room-301'] figure.chart[data-device='meter-301']").First).ToBeVisibleAsync(Visible(Bound));
        _scriptErrors.Should().BeEmpty();
    }

    [Fact]
    public async Task A_chargers_alert_reaches_the_warden_live_and_each_step_reaches_the_landlord_within_a_second()
    {
        await using var wardenContext = await dashboard.NewContextAsync();
        var warden = await SignInAsync(wardenContext, "warden");
        await using var landlordContext = await dashboard.NewContextAsync(width: 412, height: 900);
        var landlord = await SignInAsync(landlordContext, "landlord");
        await Assertions.Expect(landlord.Locator("a.unit-card[data-unit='room-301']")).ToBeVisibleAsync(Visible(Bound));
        await Assertions.Expect(warden.Locator("#queue-title")).ToBeVisibleAsync(Visible(Bound));

        var alertId = await dashboard.Stack.PlugInChargerUntilAsync(_http, "meter-301", Charger, OpenChargingAlertAsync, "an e-bike charging alert for room 301");
        try
        {
            // Both pages were open before the charger was plugged in: the alert arrives without a reload.
            var onWarden = warden.Locator($".alerts [data-alert-id='{alertId}']");
            var onLandlord = landlord.Locator($".alerts [data-alert-id='{alertId}']");
            await Assertions.Expect(onWarden).ToBeVisibleAsync(Visible(Bound));
            await Assertions.Expect(onWarden.Locator(".kind")).ToHaveTextAsync("E-bike charging indoors");
            await Assertions.Expect(onLandlord).ToBeVisibleAsync(Visible(Bound));
            await Assertions.Expect(warden.Locator(".district-map [data-building='block-3']")).ToHaveAttributeAsync("data-state", "critical");
            await Assertions.Expect(landlord.Locator("a.unit-card[data-unit='room-301']")).ToHaveAttributeAsync("data-state", "critical");
            await ScreenshotAsync(warden, "warden-alert");
            await ScreenshotAsync(landlord, "landlord-alert");

            await onWarden.Locator("button[data-action='acknowledge']").ClickAsync();
            await Assertions.Expect(onLandlord).ToHaveAttributeAsync("data-state", "Acknowledged", new() { Timeout = (float)Live.TotalMilliseconds });

            await onWarden.Locator("select[data-field='warden']").SelectOptionAsync("warden-zhou");
            await onWarden.Locator("button[data-action='dispatch']").ClickAsync();
            await Assertions.Expect(onLandlord).ToHaveAttributeAsync("data-state", "Dispatched", new() { Timeout = (float)Live.TotalMilliseconds });
            await Assertions.Expect(onWarden.Locator(".owner")).ToHaveTextAsync("handled by Zhou Min");

            await onWarden.Locator("input[data-field='feedback']").FillAsync("Charger taken out of the room");
            await onWarden.Locator("button[data-action='resolve']").ClickAsync();
            await Assertions.Expect(onLandlord).ToHaveAttributeAsync("data-state", "Resolved", new() { Timeout = (float)Live.TotalMilliseconds });
            await onWarden.Locator("button[data-action='close']").ClickAsync();
            await Assertions.Expect(onLandlord).ToHaveCountAsync(0, new() { Timeout = (float)Live.TotalMilliseconds });

            var closed = await _http.GetFromJsonAsync<JsonObject>(new Uri(dashboard.Stack.Ingest, $"api/alerts/{alertId}"));
            ((string?)closed!["alert"]!["feedback"]).Should().Be("Charger taken out of the room");

            // The charts of the room: the live hour with the charging session shaded on the power curve.
            await warden.GotoAsync("/#/unit/room-301");
            await Assertions.Expect(warden.Locator("figure.chart[data-device='meter-301'][data-sessions='1']").First).ToBeVisibleAsync(Visible(Bound));
            await ScreenshotAsync(warden, "unit-charts");
        }
        finally
        {
            await dashboard.Stack.UnplugAsync(_http, "meter-301", Charger);
        }

        _scriptErrors.Should().BeEmpty();
    }

    [Fact]
    public async Task An_installer_assigns_a_device_to_a_room_and_runs_the_end_to_end_check()
    {
        await using var context = await dashboard.NewContextAsync();
        var page = await SignInAsync(context, "installer");
        // Room 302's meter moved to room 304 and back, each time seen by the page after a reload (from the store).
        foreach (var unit in new[] { "room-304", "room-302" })
        {
            var meter = page.Locator("[data-device='meter-302']");
            await meter.Locator("input[data-field='unit']").FillAsync(unit);
            await meter.Locator("form.assign button[type=submit]").ClickAsync();
            await Assertions.Expect(meter.Locator("form.assign .action-status")).ToHaveTextAsync($"Assigned to {unit}.");
            await page.ReloadAsync();
            await Assertions.Expect(page.Locator("[data-device='meter-302'] .where")).ToContainTextAsync(unit, new() { Timeout = (float)Bound.TotalMilliseconds });
        }

        // The courtyard sensor is put in zone class 1 (settings: class 2): kept after a reload, and ingest, a separate
        // process, judges it by class 1's limits from its next reading; then it goes back to the settings' class.
        var zone = page.Locator("[data-device='noise-courtyard'] form.zone");
        await zone.Locator("select").SelectOptionAsync("1");
        await zone.Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(zone.Locator(".action-status")).ToHaveTextAsync("Judged as zone class 1 from now on.");
        await dashboard.Stack.WaitForOutputAsync("EdgeSafety.Ingest", "noise-courtyard: zone class 1 from the registry, limits now 55/45 dB(A)");
        await page.ReloadAsync();
        await Assertions.Expect(zone.Locator("select")).ToHaveValueAsync("1", new() { Timeout = (float)Bound.TotalMilliseconds });
        await ScreenshotAsync(page, "installer-zone");
        await zone.Locator("select").SelectOptionAsync("");
        await zone.Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(zone.Locator(".action-status")).ToHaveTextAsync("Judged by ingest's noise settings from now on.");

        await page.Locator("#run-check").ClickAsync();
        await Assertions.Expect(page.Locator(".check-verdict")).ToBeVisibleAsync(Visible(Bound));
        await Assertions.Expect(page.Locator(".steps li")).ToHaveCountAsync(5);
        await Assertions.Expect(page.Locator(".steps li[data-step='readings-arriving']")).ToHaveAttributeAsync("data-ok", "true");
        await ScreenshotAsync(page, "installer-check");

        // A one-time enrolment code for the gateway, with the command that redeems it on site.
        await page.Locator("#enrolment-code").ClickAsync();
        var code = await page.Locator(".enrolment-result code.enrolment-code").TextContentAsync(new() { Timeout = (float)Bound.TotalMilliseconds });
        code.Should().NotBeNullOrWhiteSpace();
        await Assertions.Expect(page.Locator(".enrolment-result")).ToContainTextAsync($"enrol --server {dashboard.Dashboard.GetLeftPart(UriPartial.Authority)} --code {code}");
        _scriptErrors.Should().BeEmpty();
    }

    private Task<IPage> SignInAsync(IBrowserContext context, string name) =>
        DashboardPages.SignInAsync(context, name, dashboard.PasswordOf(name), _scriptErrors);

    private async Task<string?> OpenChargingAlertAsync()
    {
        var open = await _http.GetFromJsonAsync<JsonArray>(new Uri(dashboard.Stack.Ingest, "api/alerts"));
        var alert = open!.FirstOrDefault(a => (string?)a!["kind"] == "EbikeCharging" && (string?)a["unit"] == "room-301");
        return alert?["id"]!.ToJsonString();
    }

    [GeneratedRegex(@"^\d+(\.\d)? dB\(A\)$")]
    private static partial Regex DecibelText();
}
