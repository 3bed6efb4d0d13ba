using EdgeSafety.TestSupport;

namespace EdgeSafety.Ingest.Tests;

/// <summary>A wrong alert setting or registry stops ingest at start, naming it, instead of losing alerts later.</summary>
public sealed class AlertSettingsTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly TemporaryDirectory _directory = new("alert-settings");

    [Theory]
    [InlineData("--Alerts:TimeZone=Mars/Olympus", "Alerts.TimeZone: 'Mars/Olympus' is not a time zone known to this machine.")]
    [InlineData("--Alerts:AcknowledgeWithin=00:00:00", "Alerts.AcknowledgeWithin")]
    [InlineData("--Alerts:Store:Provider=PostgreSql", "Alerts.Store.PostgreSqlConnectionString: PostgreSqlConnectionString is required")]
    [InlineData("--Alerts:RegistryPath=REGISTRY", "unit 'room-1' names unknown landlord 'nobody'")]
    public async Task A_bad_alert_setting_or_registry_stops_ingest_at_start_and_says_which(string setting, string expected)
    {
        var registry = _directory.Combine("registry.json");
        await File.WriteAllTextAsync(registry, """
            { "sites": [{ "id": "s", "name": "S" }], "buildings": [{ "id": "b", "site": "s", "name": "B", "area": "a" }],
              "units": [{ "id": "room-1", "building": "b", "name": "Room 1", "landlord": "nobody" }] }
            """);
        using var ingest = ServiceProcess.Start("EdgeSafety.Ingest", LoopbackPort.Next(), setting.Replace("REGISTRY", registry, StringComparison.Ordinal));

        var exitCode = await ingest.WaitForExitAsync(Bound);

        exitCode.Should().Be(2, ingest.Output);
        ingest.Output.Should().Contain("invalid settings, not starting").And.Contain(expected);
    }

    public void Dispose() => _directory.Dispose();
}
