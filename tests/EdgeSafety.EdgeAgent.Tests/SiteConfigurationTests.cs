using System.Text.Json;
using EdgeSafety.TestSupport;

namespace EdgeSafety.EdgeAgent.Tests;

/// <summary>The site configuration file changed under a running agent: applied without a restart, or refused whole.</summary>
public sealed class SiteConfigurationTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly TemporaryDirectory _folder = new("site");
    private SimulatedSite _site = null!;

    private string SiteFile => _folder.Combine("site.json");

    public async Task InitializeAsync() => _site = await SimulatedSite.StartAsync();

    public async Task DisposeAsync()
    {
        await _site.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task A_valid_change_applies_without_restart_and_an_invalid_one_is_refused_while_the_old_devices_keep_polling()
    {
        await using var subscriber = await ReadingsSubscriber.StartAsync(_site.Broker);
        Write(Device("meter-301", 1, "harmonic-meter"), Device("noise-courtyard", 10, "noise-sensor-hr0"));
        using var agent = ServiceProcess.Start("EdgeSafety.EdgeAgent", LoopbackPort.Next(),
            $"--Mqtt:Port={_site.Broker.Port}", $"--SiteConfigurationFile={SiteFile}");
        await Eventually.SucceedsAsync(() => subscriber.Arrivals("meter-301").Should().NotBeEmpty(), Bound, "readings of meter-301");
        subscriber.Arrivals("meter-302").Should().BeEmpty("meter-302 is not configured yet");

        Write(Device("meter-301", 1, "harmonic-meter"), Device("noise-courtyard", 10, "noise-sensor-hr0"), Device("meter-302", 2, "harmonic-meter"));
        await Eventually.SucceedsAsync(() => subscriber.Arrivals("meter-302").Should().HaveCountGreaterThanOrEqualTo(2), Bound, "readings of the added meter-302");
        // The console logger writes from its own queue: the readings of meter-302 may arrive before the line does.
        await agent.WaitForOutputAsync($"Site configuration from {SiteFile} applied", Bound);

        Write(Device("meter-301", 1, "harmonic-meter"), Device("noise-courtyard", 10, "noise-sensor-hr0"), Device("meter-302", 2, "harmonic-meter"),
            Device("meter-303", 300, "eastron-sdm120"));
        await agent.WaitForOutputAsync("Agent.Devices[3].UnitId: The field UnitId must be between 1 and 247.", Bound);
        var refusedAt = DateTimeOffset.UtcNow;
        await Eventually.SucceedsAsync(() =>
        {
            foreach (var device in new[] { "meter-301", "meter-302", "noise-courtyard" })
            {
                subscriber.Arrivals(device).Should().Contain(r => r.Timestamp > refusedAt + TimeSpan.FromSeconds(1), $"{device} keeps polling");
            }
        }, Bound, "readings after the refused change");

        agent.HasExited.Should().BeFalse();
        await agent.WaitForOutputAsync("not applied, the running configuration is kept", Bound);
        foreach (var device in new[] { "meter-301", "noise-courtyard" })
        {
            subscriber.ShouldHaveAnUnbrokenRun(device, from: 0);
        }

        ServiceProcess.ErrorLines(agent).Should().OnlyContain(line => line.Contains("not applied", StringComparison.Ordinal));
        subscriber.Log.ShouldHaveNoErrors();
    }

    [Fact]
    public async Task A_site_file_that_is_not_json_stops_the_agent_at_start_naming_the_setting()
    {
        await File.WriteAllTextAsync(SiteFile, "{ \"Agent\": { \"SiteId\": ");
        using var agent = ServiceProcess.Start("EdgeSafety.EdgeAgent", LoopbackPort.Next(), $"--SiteConfigurationFile={SiteFile}");

        (await agent.WaitForExitAsync(Bound)).Should().Be(2, agent.Output);
        agent.Output.Should().Contain("invalid settings, not starting").And.Contain("SiteConfigurationFile: not valid JSON");
    }

    private static object Device(string id, int unitId, string profile) =>
        new { Id = id, Bus = "bus1", UnitId = unitId, Profile = profile, PollIntervalMilliseconds = 500 };

    /// <summary>Replaces the file as an operator's tool should: a whole new file renamed over the old one.</summary>
    private void Write(params object[] devices)
    {
        var document = new
        {
            Agent = new
            {
                SiteId = "haizhu-demo",
                GatewayId = "gw-01",
                Buses = new[] { new { Name = "bus1", DevicePath = _site.Line.MasterPath, BaudRate = 9600 } },
                Devices = devices,
            },
        };
        var temporary = SiteFile + ".new";
        File.WriteAllText(temporary, JsonSerializer.Serialize(document));
        File.Move(temporary, SiteFile, overwrite: true);
    }
}
