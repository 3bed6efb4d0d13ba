using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
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

        // The basic model's trees are shallower (ModelRecipe.BasicMaxDepth): see there why.
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

    public static Booster Train(TierRows rows) => ModelRecipe.Committed.Train(rows);

    /// <summary>
    /// Writes the training rows (every tier's fingerprints and labels) as raw little-endian float32 after a header, so
    /// model variants can be trained from them without running the households again (train --save-rows, --rows).
    /// </summary>
    public static void SaveRows(string path, int households, Dictionary<MeterTier, TierRows> rows)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(RowsTag);
        writer.Write(Fingerprint.Count);
        writer.Write(households);
        writer.Write(rows.Count);
        foreach (var (tier, tierRows) in rows.OrderBy(r => r.Key))
        {
            writer.Write((int)tier);
            writer.Write(tierRows.Labels.Count);
            writer.Write(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(tierRows.Labels)));
            writer.Write(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(tierRows.Features)));
        }
    }

    /// <summary>Reads what <see cref="SaveRows"/> wrote for <paramref name="households"/> training households; anything else is a <see cref="FormatException"/>.</summary>
    public static Dictionary<MeterTier, TierRows> LoadRows(string path, int households)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        if (reader.BaseStream.Length < 16 || reader.ReadInt32() != RowsTag)
        {
            throw new FormatException($"{path} is not a file of training rows written by train --save-rows.");
        }

        var (count, saved, tiers) = (reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32());
        if (count != Fingerprint.Count || saved != households)
        {
            throw new FormatException($"{path} holds fingerprints of {count} features from {saved} households per sampling; this detector makes {Fingerprint.Count} and the plan has {households}.");
        }

        var rows = new Dictionary<MeterTier, TierRows>();
        for (var t = 0; t < tiers; t++)
        {
            var (tier, labels) = ((MeterTier)reader.ReadInt32(), reader.ReadInt32());
            var tierRows = rows[tier] = new TierRows();
            tierRows.Labels.AddRange(Read(labels));
            tierRows.Features.AddRange(Read(labels * count));
        }

        return reader.BaseStream.Position == reader.BaseStream.Length ? rows : throw new FormatException($"{path} has data after its last tier.");

        float[] Read(int length)
        {
            var values = new float[length];
            reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
            return values;
        }
    }

    /// <summary>"ESTR", little-endian: the first four bytes of a training rows file.</summary>
    private const int RowsTag = 0x52545345;

    private static Dictionary<MeterTier, FingerprintRecorder> CollectHousehold(ScenarioSet set, int seed, ChargingDetectorOptions options)
    {
        var household = SimulatedMeter.Household(seed, set.Parameters, set.Days, set.Sampling, set.Options);
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
