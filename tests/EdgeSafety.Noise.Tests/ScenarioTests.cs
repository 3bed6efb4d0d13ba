using EdgeSafety.Simulators.Noise;
using static EdgeSafety.Noise.Tests.Monitoring;

namespace EdgeSafety.Noise.Tests;

/// <summary>Each simulated situation, sampled every second with the default rules in its zone, gives exactly the steps a warden expects.</summary>
public sealed class ScenarioTests
{
    private const int Seed = 42;

    public static TheoryData<string, string[]> Expected => new()
    {
        // Evening activities in a residential zone (day limit 55 until 22:00): confirmed after two 5-minute windows,
        // first warning at once, second warning and the wardens' alert ten minutes later, cleared 10 min after it ends.
        { "ping-pong-plaza", ["exceedance@19:10:00", "on_site_warning1@19:10:00", "on_site_warning2@19:20:00", "warden_alert@19:20:00", "exceedance_cleared@21:40:00"] },
        { "square-dancing", ["exceedance@19:40:00", "on_site_warning1@19:40:00", "on_site_warning2@19:50:00", "warden_alert@19:50:00", "exceedance_cleared@21:10:00"] },
        { "renovation-drilling", ["exceedance@09:10:00", "on_site_warning1@09:10:00", "on_site_warning2@09:20:00", "warden_alert@09:20:00", "exceedance_cleared@11:40:00"] },
        // At night the party also makes bursts (shouts over 60 dB): one burst alert that lasts while they go on.
        { "night-party", ["night_burst@23:00:00", "exceedance@23:10:00", "on_site_warning1@23:10:00", "on_site_warning2@23:20:00", "warden_alert@23:20:00", "night_burst_cleared@01:35:00", "exceedance_cleared@01:40:00"] },
        // Traffic beside a main road stays within the roadside zone's limits.
        { "traffic-background", [] },
        // One slam: a burst, and no exceedance (one loud 5-minute window is not a persistent one).
        { "door-slam", ["night_burst@02:12:30", "night_burst_cleared@02:20:00"] },
        // The sensor's silence neither clears the exceedance nor starts a second one.
        { "sensor-dropout", ["exceedance@20:10:00", "on_site_warning1@20:10:00", "on_site_warning2@20:20:00", "warden_alert@20:20:00", "exceedance_cleared@21:40:00"] },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public void Each_scenario_gives_exactly_the_expected_alerts_and_warnings(string name, string[] steps)
    {
        var scenario = NoiseScenarios.Find(name)!;

        var outputs = Run(Zone(scenario.Zone), scenario.Samples(Seed, scenario.StartOn(new DateOnly(2026, 7, 1), Shanghai), TimeSpan.FromSeconds(1)));

        outputs.Steps().Should().Equal(steps);
    }

    [Fact]
    public void Every_scenario_is_covered_above()
    {
        NoiseScenarios.All.Select(s => s.Name).Should().BeEquivalentTo(Expected.Select(row => (string)row[0]));
    }

    [Fact]
    public void The_same_seed_gives_the_same_levels_and_another_seed_other_levels()
    {
        var scenario = NoiseScenarios.SquareDancing;
        var start = scenario.StartOn(new DateOnly(2026, 7, 1), Shanghai);

        scenario.Samples(1, start, TimeSpan.FromSeconds(1)).Should().Equal(scenario.Samples(1, start, TimeSpan.FromSeconds(1)));
        scenario.Samples(2, start, TimeSpan.FromSeconds(1)).Should().NotEqual(scenario.Samples(1, start, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void A_dropout_leaves_its_windows_out_and_the_one_it_starts_in_partly_covered()
    {
        var scenario = NoiseScenarios.SensorDropout;

        var outputs = Run(Zone("1"), scenario.Samples(Seed, scenario.StartOn(new DateOnly(2026, 7, 1), Shanghai), TimeSpan.FromSeconds(1)));

        var fives = outputs.Windows("5min");
        fives.Should().NotContain(w => w.Start > Local(20, 30) && w.Start < Local(20, 50));
        fives.Single(w => w.End == Local(20, 30)).Coverage.Should().Be(1);
        fives.Single(w => w.Start == Local(20, 30)).Coverage.Should().BeApproximately(9 / 300.0, 1e-9, "the last sample before the silence (20:29:59) holds for the longest hold, 10 s");
        fives.Single(w => w.Start == Local(20, 50)).Coverage.Should().Be(1);
        outputs.Windows("day").Single().Exposure.Seconds.Should().Be(TimeSpan.FromMinutes(100).TotalSeconds + 9, "two hours less the 20-minute silence, and 9 s more held by the last sample before it");
    }
}
