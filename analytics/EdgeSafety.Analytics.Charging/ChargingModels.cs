using EdgeSafety.XGBoost;

namespace EdgeSafety.Analytics.Charging;

/// <summary>
/// The XGBoost models, one per meter tier, loaded from <c>ebike-&lt;tier&gt;.json</c> files in one folder. A meter
/// of a tier without its own model is classified by the best model below it, with the features it lacks blanked.
/// </summary>
public sealed class ChargingModels : IChargingClassifier, IDisposable
{
    private readonly Booster?[] _models;

    private ChargingModels(Booster?[] models) => _models = models;

    public static string FileName(MeterTier tier) => $"ebike-{TierName(tier)}.json";

    /// <summary>The tier as the CSV output, the model files and the settings spell it.</summary>
    public static string TierName(MeterTier tier) => tier switch
    {
        MeterTier.Harmonic => "harmonic",
        MeterTier.Thd => "thd",
        _ => "basic",
    };

    /// <summary>Loads the models in <paramref name="directory"/>; the basic one is required (every meter has P and PF).</summary>
    public static ChargingModels Load(string directory)
    {
        var models = new Booster?[3];
        try
        {
            foreach (var tier in Enum.GetValues<MeterTier>())
            {
                var path = Path.Combine(directory, FileName(tier));
                if (File.Exists(path))
                {
                    models[(int)tier] = Booster.LoadFile(path);

                    // One row at a time, as the detector asks, is cheapest on the caller's thread: a parallel region
                    // per row costs more than the trees, and ingest already runs one detector per meter concurrently.
                    models[(int)tier]!.SetParameter("nthread", "1");
                    if (models[(int)tier]!.FeatureCount != Fingerprint.Count)
                    {
                        throw new XGBoostException($"The model {path} takes {models[(int)tier]!.FeatureCount} features; this detector makes {Fingerprint.Count}. Retrain it.");
                    }
                }
            }

            if (models[(int)MeterTier.Basic] is null)
            {
                throw new XGBoostException($"No {FileName(MeterTier.Basic)} in {Path.GetFullPath(directory)}: run the train command.");
            }

            return new ChargingModels(models);
        }
        catch
        {
            foreach (var model in models)
            {
                model?.Dispose();
            }

            throw;
        }
    }

    public float Probability(in Candidate candidate, ReadOnlySpan<float> fingerprint)
    {
        var tier = candidate.Tier;
        while (_models[(int)tier] is null)
        {
            tier--;
        }

        if (tier == candidate.Tier)
        {
            return _models[(int)tier]!.PredictRow(fingerprint);
        }

        Span<float> masked = stackalloc float[fingerprint.Length];
        fingerprint.CopyTo(masked);
        Fingerprint.Mask(tier, masked);
        return _models[(int)tier]!.PredictRow(masked);
    }

    public void Dispose()
    {
        foreach (var model in _models)
        {
            model?.Dispose();
        }
    }
}
