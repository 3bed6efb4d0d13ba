using System.Collections.Concurrent;
using System.Globalization;
using EdgeSafety.Analytics.Charging;
using EdgeSafety.XGBoost;

namespace EdgeSafety.Analytics.Cli.Charging;

/// <summary>The training rows of one tier: fingerprints (row-major) and labels.</summary>
internal sealed class TierRows
{
    public List<float> Features { get; } = [];

    public List<float> Labels { get; } = [];

    public int Positives => Labels.Count(l => l > 0);
}

/// <summary>
/// Makes the training data and the models. The data: the detector itself run over simulated households of the
/// Training parameter set, with a recorder in place of the classifier, so the model learns from exactly the
/// fingerprints it will be asked about. Everything is seeded and XGBoost runs on a fixed thread count, so the same
/// command writes the same bytes.
/// </summary>
internal static class ModelTraining
{
    public const int Rounds = 200;

    /// <summary>XGBoost's histogram building sums in thread order: a fixed count keeps the model bytes fixed.</summary>
    public const int Threads = 2;

    public static readonly IReadOnlyList<(string Name, string Value)> Parameters =
    [
        ("objective", "binary:logistic"),
        ("eval_metric", "logloss"),
        ("tree_method", "hist"),
        ("max_depth", "6"),
        ("eta", "0.1"),
        ("min_child_weight", "2"),
        ("subsample", "0.8"),

        // About 1 fingerprint in 70 is a charger's: weighting them 3x lifts a charger's probability where it
        // resembles something else (a PFC charger, a PC) without a false alarm on the households like training's.
        ("scale_pos_weight", "3"),
        ("colsample_bytree", "0.8"),
        ("seed", "0"),
        ("nthread", Threads.ToString(CultureInfo.InvariantCulture)),
    ];

    public static Dictionary<MeterTier, TierRows> Collect(IEnumerable<ScenarioSet> sets, ChargingDetectorOptions options)
    {
        var jobs = sets.SelectMany(set => set.Seeds.Select(seed => (Set: set, Seed: seed))).ToList();
        var perHousehold = new ConcurrentDictionary<int, Dictionary<MeterTier, FingerprintRecorder>>();
        Parallel.For(0, jobs.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            i => perHousehold[i] = CollectHousehold(jobs[i].Set, jobs[i].Seed, options));

        var rows = Enum.GetValues<MeterTier>().ToDictionary(t => t, _ => new TierRows());
        for (var i = 0; i < jobs.Count; i++)
        {
            foreach (var (tier, recorder) in perHousehold[i])
            {
                rows[tier].Features.AddRange(recorder.Features);
                rows[tier].Labels.AddRange(recorder.Labels);
            }
        }

        return rows;
    }

    public static Booster Train(TierRows rows)
    {
        var features = rows.Features.ToArray();
        using var matrix = DMatrix.FromDense(features, rows.Labels.Count, Fingerprint.Count);
        matrix.SetLabels(rows.Labels.ToArray());
        var booster = Booster.Create(matrix);
        foreach (var (name, value) in Parameters)
        {
            booster.SetParameter(name, value);
        }

        booster.Train(matrix, Rounds);
        return booster;
    }

    private static Dictionary<MeterTier, FingerprintRecorder> CollectHousehold(ScenarioSet set, int seed, ChargingDetectorOptions options)
    {
        var household = SimulatedMeter.Household(seed, set.Parameters, set.Days, set.Sampling);
        var tiers = Enum.GetValues<MeterTier>();
        var recorders = tiers.ToDictionary(t => t, _ => new FingerprintRecorder(household.Truth));
        var detectors = tiers.Select(t => new ChargingDetector($"household-{seed}", recorders[t], options)).ToArray();
        foreach (var observation in SimulatedMeter.Observations(household, set.Sampling))
        {
            foreach (var tier in tiers)
            {
                detectors[(int)tier].Observe(observation.AsTier(tier));
            }
        }

        return recorders;
    }
}
