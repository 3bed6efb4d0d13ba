using System.Net;
using System.Text.Json;
using EdgeSafety.Alerts;

namespace EdgeSafety.Dashboard.Tests;

/// <summary>Sign-in, roles, scoping (no enumeration), CSRF and lockout, against the running dashboard.</summary>
[Collection(DashboardCollection.Name)]
public sealed class AccessTests(DashboardFixture fixture) 
{
    [Theory]
    [InlineData("admin", "admin")]
    [InlineData("warden", "warden")]
    [InlineData("landlord", "landlord")]
    [InlineData("installer", "installer")]
    public async Task Each_role_signs_in_and_the_session_says_who_it_is(string name, string role)
    {
        using var session = await fixture.SignInAsync(name);
        var me = await session.GetJsonAsync("api/auth/me");
        me.GetProperty("name").GetString().Should().Be(name);
        me.GetProperty("role").GetString().Should().Be(role);
    }

    [Fact]
    public async Task The_session_cookie_is_http_only_and_same_site_strict()
    {
        using var session = new DashboardSession(fixture.Server.BaseAddress);
        await session.RefreshCsrfAsync();
        using var response = await session.PostAsync("api/auth/sign-in", new { name = "admin", password = fixture.Server.Passwords["admin"] });
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("edgesafety.session=", StringComparison.Ordinal));
        cookie.Should().Contain("httponly").And.Contain("samesite=strict");
    }

    [Fact]
    public async Task Api_calls_without_a_session_get_401_json_and_the_wrong_role_403_never_a_redirect()
    {
        using var anonymous = new DashboardSession(fixture.Server.BaseAddress);
        using var unauthenticated = await anonymous.GetAsync("api/alerts");
        unauthenticated.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await Error(unauthenticated)).Should().Be("unauthenticated");

        using var landlord = await fixture.SignInAsync("landlord");
        foreach (var path in new[] { "api/audit", "api/sites", "api/reports", "api/wardens" })
        {
            using var forbidden = await landlord.GetAsync(path);
            forbidden.StatusCode.Should().Be(HttpStatusCode.Forbidden, path);
            (await Error(forbidden)).Should().Be("forbidden");
        }

        using var installer = await fixture.SignInAsync("installer");
        using var noAlerts = await installer.GetAsync("api/alerts");
        noAlerts.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_landlord_sees_only_their_units_and_another_landlords_ids_answer_exactly_like_missing_ones()
    {
        var mine = await fixture.RaiseAsync(AlertKind.EbikeCharging, "haizhu-demo", "gw-01", "meter-301", "room-301", "block-3");
        var theirs = await fixture.RaiseAsync(AlertKind.EbikeCharging, "haizhu-demo", "gw-01", "meter-303", "room-303", "block-3");
        using var landlord = await fixture.SignInAsync("landlord");

        var alerts = (await landlord.GetJsonAsync("api/alerts?open=false")).EnumerateArray().Select(a => a.GetProperty("id").GetInt64()).ToList();
        alerts.Should().Contain(mine.Id).And.NotContain(theirs.Id);
        alerts.Should().OnlyContain(id => id != theirs.Id);
        var buildings = await landlord.GetJsonAsync("api/buildings");
        buildings.EnumerateArray().Select(b => b.GetProperty("id").GetString()).Should().Equal("block-3");
        buildings[0].GetProperty("units").EnumerateArray().Select(u => u.GetProperty("id").GetString()).Should().BeEquivalentTo("room-301", "room-302");

        await ShouldAnswerLikeMissing(landlord, $"api/alerts/{theirs.Id}", "api/alerts/987654321", theirs.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "987654321");
        await ShouldAnswerLikeMissing(landlord, "api/units/room-303", "api/units/room-999", "room-303", "room-999");
        await ShouldAnswerLikeMissing(landlord, "api/buildings/block-9", "api/buildings/block-99", "block-9", "block-99");

        using var acknowledge = await landlord.PostAsync($"api/alerts/{theirs.Id}/acknowledge");
        acknowledge.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await fixture.Store.GetAlertAsync(theirs.Id, CancellationToken.None))!.State.Should().Be(AlertState.Raised, "nothing is done to an alert outside the scope");
    }

    [Fact]
    public async Task A_warden_sees_the_buildings_of_their_area_only()
    {
        var far = await fixture.RaiseAsync(AlertKind.NoiseExceedance, "tianhe-demo", "gw-09", "meter-901", "room-901", "block-9");
        using var warden = await fixture.SignInAsync("warden");
        using var farWarden = await fixture.SignInAsync("warden-far");

        (await warden.GetJsonAsync("api/buildings")).EnumerateArray().Select(b => b.GetProperty("id").GetString()).Should().Equal("block-3");
        (await warden.GetJsonAsync("api/alerts")).EnumerateArray().Select(a => a.GetProperty("id").GetInt64()).Should().NotContain(far.Id);
        using var hidden = await warden.GetAsync($"api/alerts/{far.Id}");
        hidden.StatusCode.Should().Be(HttpStatusCode.NotFound);

        (await farWarden.GetJsonAsync("api/alerts")).EnumerateArray().Select(a => a.GetProperty("id").GetInt64()).Should().Contain(far.Id);
        (await farWarden.GetJsonAsync("api/wardens")).EnumerateArray().Select(w => w.GetProperty("id").GetString()).Should().Equal("warden-wu");
    }

    [Fact]
    public async Task State_changing_calls_without_the_antiforgery_token_are_refused_and_change_nothing()
    {
        var alert = await fixture.RaiseAsync(AlertKind.EbikeCharging, "haizhu-demo", "gw-01", "meter-302", "room-302", "block-3");
        using var landlord = await fixture.SignInAsync("landlord");

        using var refused = await landlord.PostAsync($"api/alerts/{alert.Id}/acknowledge", withCsrf: false);
        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await Error(refused)).Should().Be("csrf");
        (await fixture.Store.GetAlertAsync(alert.Id, CancellationToken.None))!.State.Should().Be(AlertState.Raised);

        using var fresh = new DashboardSession(fixture.Server.BaseAddress);
        using var signIn = await fresh.PostAsync("api/auth/sign-in", new { name = "landlord", password = fixture.Server.Passwords["landlord"] }, withCsrf: false);
        signIn.StatusCode.Should().Be(HttpStatusCode.BadRequest, "signing in is a state change too");

        using var accepted = await landlord.PostAsync($"api/alerts/{alert.Id}/acknowledge");
        accepted.StatusCode.Should().Be(HttpStatusCode.OK, await accepted.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Five_failed_sign_ins_lock_the_account_with_a_clear_message_even_for_the_right_password()
    {
        using var session = new DashboardSession(fixture.Server.BaseAddress);
        for (var attempt = 1; attempt < 5; attempt++)
        {
            using var wrong = await session.SignInAsync("lockme", "not-the-password");
            wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
            (await Error(wrong)).Should().Be("invalid-credentials");
        }

        using var fifth = await session.SignInAsync("lockme", "not-the-password");
        fifth.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        using var right = await session.SignInAsync("lockme", fixture.Server.Passwords["lockme"]);
        right.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        var body = JsonDocument.Parse(await right.Content.ReadAsStringAsync()).RootElement;
        body.GetProperty("error").GetString().Should().Be("locked");
        body.GetProperty("message").GetString().Should().Contain("Too many failed sign-ins for this account").And.Contain("locked until");
        right.Headers.RetryAfter.Should().NotBeNull();

        using var admin = await fixture.SignInAsync("admin");
        var audit = (await admin.GetJsonAsync("api/audit?limit=1000")).EnumerateArray()
            .Select(e => (Action: e.GetProperty("action").GetString(), Target: e.GetProperty("target").GetString())).ToList();
        audit.Should().Contain(("locked-out", "lockme")).And.Contain(("sign-in-failed", "lockme")).And.Contain(("sign-in-refused", "lockme"));
    }

    [Fact]
    public async Task A_password_reset_ends_every_session_signed_in_with_the_old_one()
    {
        using var before = await fixture.SignInAsync("resetme");
        (await before.GetJsonAsync("api/auth/me")).GetProperty("name").GetString().Should().Be("resetme");

        var password = await fixture.Server.ResetPasswordAsync("resetme");
        using var ended = await before.GetAsync("api/auth/me");
        ended.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        using var after = await DashboardSession.SignedInAsync(fixture.Server.BaseAddress, "resetme", password);
        (await after.GetJsonAsync("api/auth/me")).GetProperty("role").GetString().Should().Be("warden");
    }

    private static async Task ShouldAnswerLikeMissing(DashboardSession session, string hiddenPath, string missingPath, string hiddenId, string missingId)
    {
        using var hidden = await session.GetAsync(hiddenPath);
        using var missing = await session.GetAsync(missingPath);
        hidden.StatusCode.Should().Be(HttpStatusCode.NotFound, hiddenPath);
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound, missingPath);
        var hiddenBody = await hidden.Content.ReadAsStringAsync();
        var missingBody = await missing.Content.ReadAsStringAsync();
        hiddenBody.Replace(hiddenId, "ID", StringComparison.Ordinal).Should().Be(missingBody.Replace(missingId, "ID", StringComparison.Ordinal),
            "an id that is not yours must be indistinguishable from one that does not exist");
    }

    private static async Task<string?> Error(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString();
}
