using EdgeSafety.Analytics.Noise;
using static EdgeSafety.Noise.Tests.Monitoring;

namespace EdgeSafety.Noise.Tests;

/// <summary>Day and night are local time at the site: 06:00-22:00 and 22:00-06:00 in Shanghai by default.</summary>
public sealed class DayNightTests
{
    [Fact]
    public void The_limit_changes_at_22_00_Shanghai_time_which_is_14_00_utc()
    {
        // 52 dB in a class 2 zone (60/50): within the day limit, over the night limit.
        var outputs = Run(Zone("2"), Steady(Local(21, 50), Local(22, 10), 52));

        var windows = outputs.Windows("5min");
        windows.Select(w => (w.Start.UtcDateTime.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), w.LimitDb, w.Period)).Should().Equal(
            ("13:50", 60.0, NoisePeriod.Day), ("13:55", 60.0, NoisePeriod.Day), ("14:00", 50.0, NoisePeriod.Night), ("14:05", 50.0, NoisePeriod.Night));
        outputs.Steps().Should().Equal("exceedance@22:10:00", "on_site_warning1@22:10:00");
    }

    [Fact]
    public void The_day_and_night_periods_are_windows_of_their_own_and_the_night_spans_midnight()
    {
        var outputs = Run(Zone("1"), Steady(Local(21, 0), Local(7, 0, day: 2), 40, TimeSpan.FromSeconds(5)));

        var day = outputs.Windows("day").First();
        (day.Start, day.End, day.LimitDb).Should().Be((Local(6, 0), Local(22, 0), 55.0));
        day.Exposure.Seconds.Should().Be(3600);
        var night = outputs.Windows("night").Single();
        (night.Start, night.End, night.LimitDb, night.Coverage).Should().Be((Local(22, 0), Local(6, 0, day: 2), 45.0, 1.0));
        var last = outputs.OfType<NoiseWindow>().Last();
        (last.Name, last.Start).Should().Be(("day", Local(6, 0, day: 2)), "the last, partial day is closed on flush");
    }

    [Fact]
    public void A_window_spanning_the_start_of_the_night_is_judged_against_the_night_limit()
    {
        // A site whose night starts at 22:10: the 15-minute window 22:00-22:15 spans it.
        var settings = Zone("2") with { Calendar = NoiseCalendar.China with { NightStart = new TimeOnly(22, 10) } };

        var outputs = Run(settings, Steady(Local(21, 45), Local(22, 30), 55));

        var quarter = outputs.Windows("15min").Select(w => (w.Start, w.LimitDb, w.Period)).ToList();
        quarter.Should().Equal((Local(21, 45), 60.0, NoisePeriod.Day), (Local(22, 0), 50.0, NoisePeriod.Night), (Local(22, 15), 50.0, NoisePeriod.Night));
        outputs.Windows("5min").Where(w => w.Start >= Local(22, 0)).Select(w => w.Period).Should().Equal(
            NoisePeriod.Day, NoisePeriod.Day, NoisePeriod.Night, NoisePeriod.Night, NoisePeriod.Night, NoisePeriod.Night);
        outputs.Windows("day").Single().End.Should().Be(Local(22, 10));
    }

    [Fact]
    public void Another_time_zone_moves_the_periods_with_its_clock_change()
    {
        // Berlin on the night clocks go forward (2026-03-29, 02:00 CET becomes 03:00 CEST): the night is an hour shorter.
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var calendar = NoiseCalendar.China with { Zone = berlin };

        var (start, end, period) = calendar.PeriodAround(new DateTimeOffset(2026, 3, 29, 0, 30, 0, TimeSpan.Zero));

        period.Should().Be(NoisePeriod.Night);
        start.Should().Be(new DateTimeOffset(2026, 3, 28, 21, 0, 0, TimeSpan.Zero), "22:00 CET");
        end.Should().Be(new DateTimeOffset(2026, 3, 29, 4, 0, 0, TimeSpan.Zero), "06:00 CEST");
        calendar.WindowAround(new DateTimeOffset(2026, 3, 29, 1, 7, 0, TimeSpan.Zero), TimeSpan.FromMinutes(15)).Start
            .Should().Be(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Quiet_hours_apply_their_stricter_limit_within_the_day()
    {
        var settings = Zone("2") with { QuietHours = [new QuietHours(new TimeOnly(12, 0), new TimeOnly(14, 0))] };

        var outputs = Run(settings, Steady(Local(11, 50), Local(12, 20), 55));

        outputs.Windows("5min").Select(w => (w.LimitDb, w.Period)).Should().Equal(
            (60.0, NoisePeriod.Day), (60.0, NoisePeriod.Day), (50.0, NoisePeriod.Quiet), (50.0, NoisePeriod.Quiet), (50.0, NoisePeriod.Quiet), (50.0, NoisePeriod.Quiet));
        outputs.Steps().Should().StartWith("exceedance@12:10:00");
        outputs.Windows("day").Single().LimitDb.Should().Be(60, "the day period keeps the day limit of the standard");
    }
}
