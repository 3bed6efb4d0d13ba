using EdgeSafety.Analytics.Noise;
using static EdgeSafety.Noise.Tests.Monitoring;

namespace EdgeSafety.Noise.Tests;

/// <summary>LAeq is energetic, duration-weighted, and rolls up exactly; checked against values computed by hand.</summary>
public sealed class SoundExposureTests
{
    private const double Precision = 1e-9;

    [Fact]
    public void A_constant_level_is_its_own_laeq_and_lmax()
    {
        var outputs = Run(Zone("2"), Steady(Local(10, 0), Local(10, 5), 63.2));

        var window = outputs.Windows("5min").Single();
        window.Laeq.Should().BeApproximately(63.2, Precision);
        window.Lmax.Should().Be(63.2);
        window.Coverage.Should().Be(1);
        outputs.Windows("1min").Should().HaveCount(5).And.OnlyContain(w => Math.Abs(w.Laeq!.Value - 63.2) < Precision);
    }

    [Fact]
    public void Two_levels_of_equal_duration_average_their_energies_not_their_decibels()
    {
        var samples = Steady(Local(10, 0), Local(10, 0, 30), 50).Concat(Steady(Local(10, 0, 30), Local(10, 1), 70));

        var window = Run(Zone("2"), samples).Windows("1min").Single();

        var expected = 10 * Math.Log10((Math.Pow(10, 50 / 10.0) + Math.Pow(10, 70 / 10.0)) / 2);
        window.Laeq.Should().BeApproximately(expected, Precision);
        window.Laeq.Should().BeApproximately(67.0, 0.05, "not the arithmetic mean, 60 dB");
        window.Lmax.Should().Be(70);
    }

    [Fact]
    public void Irregular_samples_hold_until_the_next_one_and_split_at_window_boundaries()
    {
        // 60 dB at 10:00:00 (held 20 s), 80 dB at 10:00:20 (held 10 s), 40 dB at 10:00:30 (held 45 s, across 10:01).
        (DateTimeOffset, double)[] samples = [(Local(10, 0, 0), 60), (Local(10, 0, 20), 80), (Local(10, 0, 30), 40), (Local(10, 1, 15), 40)];

        var minutes = Run(Zone("2") with { MaxSampleHold = TimeSpan.FromMinutes(1) }, samples, flush: false).Windows("1min");

        var first = minutes.Single(w => w.Start == Local(10, 0));
        first.Exposure.Seconds.Should().Be(60);
        first.Exposure.Energy.Should().BeApproximately((20 * 1e6) + (10 * 1e8) + (30 * 1e4), 1e-3);
        first.Laeq.Should().BeApproximately(10 * Math.Log10(((20 * 1e6) + (10 * 1e8) + (30 * 1e4)) / 60), Precision);
        first.Lmax.Should().Be(80);
        minutes.Should().ContainSingle("10:01 is still open until a sample after 10:02 arrives");
    }

    [Fact]
    public void A_silence_longer_than_the_longest_hold_is_a_dropout_and_covers_nothing()
    {
        var settings = Zone("2") with { MaxSampleHold = TimeSpan.FromSeconds(10) };
        (DateTimeOffset, double)[] samples = [(Local(10, 0, 0), 70), (Local(10, 0, 40), 70), (Local(10, 0, 50), 70), (Local(10, 1, 30), 50)];

        var first = Run(settings, samples, flush: false).Windows("1min").Single();

        first.Exposure.Seconds.Should().Be(30, "10 s after 10:00:00, 10 s after 10:00:40 and 10 s after 10:00:50");
        first.Coverage.Should().BeApproximately(0.5, Precision);
        first.Laeq.Should().BeApproximately(70, Precision, "a dropout lowers the coverage, not the level");
    }

    [Fact]
    public void Longer_windows_roll_up_exactly_from_shorter_ones()
    {
        var random = new Random(7);
        var samples = new List<(DateTimeOffset, double)>();
        for (var at = Local(21, 0); at < Local(23, 0); at += TimeSpan.FromMilliseconds(random.Next(300, 4000)))
        {
            samples.Add((at, 40 + (random.NextDouble() * 40)));
        }

        var outputs = Run(Zone("1"), samples);

        foreach (var (longer, shorter) in new[] { ("5min", "1min"), ("15min", "5min"), ("day", "15min"), ("night", "15min") })
        {
            foreach (var window in outputs.Windows(longer))
            {
                var parts = outputs.Windows(shorter).Where(w => w.Start >= window.Start && w.End <= window.End).Select(w => w.Exposure).ToList();
                var rolled = SoundExposure.Sum(parts);
                rolled.Seconds.Should().BeApproximately(window.Exposure.Seconds, 1e-6, $"{longer} from {shorter}");
                rolled.Energy.Should().BeApproximately(window.Exposure.Energy, window.Exposure.Energy * 1e-12);
                rolled.Laeq.Should().BeApproximately(window.Laeq!.Value, Precision);
                rolled.MaxDb.Should().Be(window.Exposure.MaxDb);
            }
        }

        outputs.Windows("day").Single().End.Should().Be(Local(22, 0));
    }
}
