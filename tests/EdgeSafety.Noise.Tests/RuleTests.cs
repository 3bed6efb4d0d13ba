using EdgeSafety.Analytics.Noise;
using static EdgeSafety.Noise.Tests.Monitoring;

namespace EdgeSafety.Noise.Tests;

/// <summary>Persistence, hysteresis and the escalation with its rate limit, on levels made to test each edge.</summary>
public sealed class RuleTests
{
    /// <summary>One level per 5-minute window from 10:00 (class 1 day limit: 55).</summary>
    private static IEnumerable<(DateTimeOffset At, double Db)> FiveMinuteLevels(params double[] levels) =>
        levels.SelectMany((db, i) => Steady(Local(10, 0) + TimeSpan.FromMinutes(5 * i), Local(10, 0) + TimeSpan.FromMinutes(5 * (i + 1)), db));

    [Fact]
    public void One_window_over_the_limit_is_not_an_exceedance_and_two_in_a_row_are()
    {
        Run(Zone("1"), FiveMinuteLevels(60, 50, 60, 50, 60)).Steps().Should().BeEmpty();

        Run(Zone("1"), FiveMinuteLevels(50, 60, 60)).Steps().Should().Equal("exceedance@10:15:00", "on_site_warning1@10:15:00");
    }

    [Fact]
    public void A_level_hovering_at_the_limit_does_not_flap()
    {
        // Over, over (confirmed), then around the limit: neither far enough below to clear nor a second confirmation.
        var outputs = Run(Zone("1"), FiveMinuteLevels(58, 58, 54, 56, 53.5, 55.5, 54, 56, 54.5));

        outputs.Steps().Should().Equal("exceedance@10:10:00", "on_site_warning1@10:10:00", "on_site_warning2@10:20:00", "warden_alert@10:20:00");
    }

    [Fact]
    public void It_clears_after_consecutive_windows_below_the_limit_by_the_margin()
    {
        // Limit 55, margin 3: 53 is not quiet enough, 50 and 52 are.
        var outputs = Run(Zone("1"), FiveMinuteLevels(60, 60, 53, 50, 52, 52));

        outputs.Steps().Should().Equal("exceedance@10:10:00", "on_site_warning1@10:10:00", "exceedance_cleared@10:25:00");
        outputs.Events().Last().WardensAlerted.Should().BeFalse("it cleared before the wardens were called");
        outputs.Events().Last().EpisodeStart.Should().Be(Local(10, 10));
    }

    [Fact]
    public void The_escalation_reaches_the_wardens_and_their_alert_clears_with_the_exceedance()
    {
        var outputs = Run(Zone("1"), FiveMinuteLevels(60, 60, 60, 60, 60, 40, 40));

        outputs.Steps().Should().Equal("exceedance@10:10:00", "on_site_warning1@10:10:00", "on_site_warning2@10:20:00", "warden_alert@10:20:00", "exceedance_cleared@10:35:00");
        var alert = outputs.Events().Single(e => e.Kind == NoiseEventKind.WardenAlert);
        (alert.LevelDb, alert.LimitDb, alert.Period).Should().Be((60, 55, NoisePeriod.Day));
        outputs.Events().Last().WardensAlerted.Should().BeTrue();
    }

    [Fact]
    public void Warnings_for_one_sensor_are_at_least_the_interval_apart_however_often_it_gets_loud()
    {
        // A hair trigger (1-minute windows, no persistence or hysteresis) and a neighbour loud every other minute:
        // without the rate limit there would be a warning every two minutes.
        var settings = Zone("1") with
        {
            RuleWindow = TimeSpan.FromMinutes(1), Persistence = 1, ClearPersistence = 1, ClearMarginDb = 0, EscalateAfter = TimeSpan.FromHours(5),
        };
        var samples = Enumerable.Range(0, 60).SelectMany(minute =>
            Steady(Local(10, minute), Local(10, minute) + TimeSpan.FromMinutes(1), minute % 2 == 0 ? 65 : 45));

        var events = Run(settings, samples).Events();

        events.Count(e => e.Kind == NoiseEventKind.Exceedance).Should().Be(30);
        var warnings = events.Where(e => e.Kind == NoiseEventKind.OnSiteWarning).Select(e => e.At).ToList();
        warnings.Zip(warnings.Skip(1), (a, b) => b - a).Should().OnlyContain(gap => gap >= TimeSpan.FromMinutes(10));
        warnings.Should().Equal(Local(10, 1), Local(10, 11), Local(10, 21), Local(10, 31), Local(10, 41), Local(10, 51));
    }

    [Fact]
    public void A_warning_held_back_by_the_rate_limit_goes_out_when_allowed_if_the_noise_is_still_on()
    {
        // Warned at 10:10, cleared at 10:20, loud again and confirmed at 10:30: with a 25-minute interval the warning
        // waits for the first window end from 10:35 on, and goes out because the noise is still on then.
        var settings = Zone("1") with { WarningInterval = TimeSpan.FromMinutes(25) };

        var steps = Run(settings, FiveMinuteLevels(60, 60, 50, 50, 60, 60, 60, 60)).Steps();

        steps.Should().Equal("exceedance@10:10:00", "on_site_warning1@10:10:00", "exceedance_cleared@10:20:00",
            "exceedance@10:30:00", "on_site_warning1@10:35:00");
    }

    [Fact]
    public void Repeated_and_impossible_samples_are_refused_and_change_nothing()
    {
        var monitor = new SensorNoiseMonitor(Zone("1"));
        var outputs = new List<NoiseOutput>();

        monitor.Add(Local(10, 0), 50, outputs).Should().Be(SampleRejection.None);
        monitor.Add(Local(10, 0), 50, outputs).Should().Be(SampleRejection.NotAfterPrevious);
        monitor.Add(Local(9, 59), 50, outputs).Should().Be(SampleRejection.NotAfterPrevious);
        monitor.Add(Local(10, 0, 1), -3, outputs).Should().Be(SampleRejection.Implausible);
        monitor.Add(Local(10, 0, 1), double.NaN, outputs).Should().Be(SampleRejection.Implausible);
        monitor.Add(Local(10, 0, 1), 50, outputs).Should().Be(SampleRejection.None);
        monitor.Flush(outputs);

        outputs.Windows("1min").Single().Exposure.Seconds.Should().Be(2);
    }

    [Fact]
    public void Settings_that_cannot_work_are_refused_with_the_reason()
    {
        var act = () => new SensorNoiseMonitor(Zone("1") with { WindowLengths = [TimeSpan.FromMinutes(7)], RuleWindow = TimeSpan.FromMinutes(7) });

        act.Should().Throw<ArgumentException>().WithMessage("*whole minutes that divide an hour*");
        (Zone("1") with { WindowLengths = [TimeSpan.FromMinutes(1)] }).Problem().Should().Contain("rule window");
        ZoneLimits.TryParse("45/55", out _, out var error).Should().BeFalse();
        error.Should().Contain("night limit 55 is above the day limit 45");
    }
}
