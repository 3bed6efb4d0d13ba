using EdgeSafety.Analytics.Charging;
using EdgeSafety.Appliances;

namespace EdgeSafety.Analytics.Cli.Charging;

/// <summary>
/// How a simulated household is read: the generator's interval, and the share of readings kept (dropped at random
/// with a seeded generator), which makes the sampling irregular as a busy RS-485 bus or a lossy link does.
/// </summary>
internal sealed record Sampling(string Name, double IntervalSeconds, double Keep)
{
    /// <summary>The latency target is at 1-2 s: 1 s readings with a third dropped (mean 1.5 s, irregular).</summary>
    public static readonly Sampling Fast = new("1-2s", 1, 2.0 / 3);
    public static readonly Sampling Medium = new("5-15s", 5, 0.5);
    public static readonly Sampling Slow = new("60s", 60, 1);

    public static readonly IReadOnlyList<Sampling> All = [Fast, Medium, Slow];

    public static Sampling Parse(string name) =>
        All.FirstOrDefault(s => s.Name == name) ?? throw new ArgumentException($"Unknown sampling \"{name}\"; use {string.Join(", ", All.Select(s => s.Name))}.");
}

/// <summary>A simulated household's meter readings as the detector sees them.</summary>
internal static class SimulatedMeter
{
    /// <summary>Monday 2 November 2026, midnight in China: every scenario starts here (the schedules follow local time).</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 0, 0, 0, TimeSpan.FromHours(8));

    public static GeneratedHousehold Household(int seed, ParameterSet set, double days, Sampling sampling, ScenarioOptions? options = null) =>
        HouseholdScenario.Generate(seed, set, Start, TimeSpan.FromDays(days), TimeSpan.FromSeconds(sampling.IntervalSeconds), options);

    /// <summary>The readings kept under the sampling's drop rate (the same ones for the same seed), at the harmonic tier.</summary>
    public static IEnumerable<MeterObservation> Observations(GeneratedHousehold household, Sampling sampling)
    {
        var random = new Random(household.Seed ^ 0x5a3c);
        foreach (var sample in household.Samples)
        {
            if (sampling.Keep < 1 && random.NextDouble() >= sampling.Keep)
            {
                continue;
            }

            yield return Observation(sample);
        }
    }

    public static MeterObservation Observation(in MeterSample sample)
    {
        var harmonics = default(OddHarmonics);
        for (var i = 0; i < OddHarmonics.Count; i++)
        {
            harmonics[i] = sample.Harmonics[OddHarmonics.OrderAt(i)];
        }

        return new MeterObservation(sample.Timestamp, sample.VoltageV, sample.CurrentA, sample.PowerW)
        {
            ReactiveVar = sample.ReactiveVar,
            PowerFactor = sample.PowerFactor,
            ThdIPct = sample.ThdIPct,
            Harmonics = harmonics,
        };
    }
}
