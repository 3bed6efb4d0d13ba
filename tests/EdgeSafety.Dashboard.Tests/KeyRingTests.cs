namespace EdgeSafety.Dashboard.Tests;

/// <summary>
/// The data-protection key ring (keys/ beside Dashboard:StorePath) signs the session cookies and antiforgery tokens, so
/// it is kept like a secret file: created owner-only, and a folder or key others may read stops the dashboard at start,
/// through the same start-up checks as every Dashboard setting.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class KeyRingTests : IDisposable
{
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly TemporaryDirectory _store = new("dashboard-keys");

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task A_new_key_ring_is_created_0700_with_its_keys_0600_and_a_session_signed_in_with_it_works()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var server = await DashboardServer.StartAsync([new DashboardAccount("admin", "admin")], null, $"--Mqtt:Port={broker.Port}");
        using var session = await DashboardSession.SignedInAsync(server.BaseAddress, "admin", server.Passwords["admin"]);
        (await session.Http.GetAsync(new Uri(server.BaseAddress, "api/auth/me"))).EnsureSuccessStatusCode();

        var keyRing = Path.Combine(Path.GetDirectoryName(server.DashboardStorePath)!, "keys");
        File.GetUnixFileMode(keyRing).Should().Be(OwnerOnlyFolder);
        Directory.EnumerateFiles(keyRing).Should().NotBeEmpty("signing in protected a cookie with a key")
            .And.OnlyContain(key => File.GetUnixFileMode(key) == OwnerOnlyFile);
    }

    [Fact]
    public async Task A_key_ring_folder_others_may_open_stops_the_dashboard_at_start_naming_the_setting_and_the_fix()
    {
        var keyRing = Directory.CreateDirectory(_store.Combine("keys")).FullName;
        File.SetUnixFileMode(keyRing, OwnerOnlyFolder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        var output = await StartRefusedAsync();

        output.Should().Contain($"Dashboard.StorePath: the session key ring beside it: Secret folder '{keyRing}' is open to others than its owner; "
            + $"make it owner-only: chmod 700 '{keyRing}'.");
    }

    [Fact]
    public async Task A_key_others_may_read_stops_the_dashboard_at_start_naming_the_setting_and_the_fix()
    {
        var keyRing = Directory.CreateDirectory(_store.Combine("keys"), OwnerOnlyFolder).FullName;
        var key = Path.Combine(keyRing, "key-5c0ffee0-0000-4000-8000-000000000001.xml");
        await File.WriteAllTextAsync(key, "<key />");
        File.SetUnixFileMode(key, OwnerOnlyFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var output = await StartRefusedAsync();

        output.Should().Contain($"Dashboard.StorePath: the session key ring beside it: Secret file '{key}' is readable or writable by others than its owner; "
            + $"make it owner-only: chmod 600 '{key}'.");
    }

    [Fact]
    public async Task A_bad_Dashboard_setting_stops_the_dashboard_at_start_naming_it_instead_of_crashing_while_the_host_is_built()
    {
        // Kestrel reads Dashboard:MaxRequestBodyBytes while the host is built, before the start-up checks run.
        var output = await StartRefusedAsync("--Dashboard:SessionLifetime=00:01:00");

        output.Should().Contain("Dashboard.SessionLifetime: must be at least 5 minutes.").And.NotContain("Unhandled exception");
    }

    /// <summary>Starts the dashboard on the store folder and returns its output once it has refused to start (exit code 2).</summary>
    private async Task<string> StartRefusedAsync(params string[] settings)
    {
        using var dashboard = ServiceProcess.Start("EdgeSafety.Dashboard", LoopbackPort.Next(),
            [$"--Dashboard:StorePath={_store.Combine("dashboard.db")}", $"--Alerts:Store:SqlitePath={_store.Combine("alerts.db")}", .. settings]);
        (await dashboard.WaitForExitAsync(TimeSpan.FromSeconds(60))).Should().Be(2, dashboard.Output);
        return dashboard.Output;
    }
}
