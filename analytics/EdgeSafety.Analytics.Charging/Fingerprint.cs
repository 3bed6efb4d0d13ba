namespace EdgeSafety.Analytics.Charging;

/// <summary>
/// The fingerprint of an added load: what it changed in the household total (power, reactive power, harmonic
/// content), and how it has behaved since (stability, slope, dips): the classifier's input. Features a meter's
/// tier cannot give are NaN, which XGBoost treats as missing.
/// </summary>
public static class Fingerprint
{
    /// <summary>The feature names, in column order (also in the model card).</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "age_s",
        "power_w",
        "initial_power_w",
        "apparent_va",
        "power_factor",
        "reactive_var",
        "reactive_ratio",
        "thd_ratio",
        "h3_ratio", "h5_ratio", "h7_ratio", "h9_ratio", "h11_ratio", "h13_ratio", "h15_ratio",
        "inrush_ratio",
        "variation_60s",
        "slope_pct_per_min",
        "growth",
        "min_ratio",
        "max_ratio",
        "interval_s",
        "initial_power_factor",
        "initial_thd_ratio",
        "jitter_30s",
        "baseline_jitter_ratio",
        "own_jitter_ratio",
        "residual_300s",
    ];

    public static int Count => Names.Count;

    private const int ReactiveVar = 5;
    private const int ReactiveRatio = 6;
    private const int ThdRatio = 7;
    private const int FirstHarmonic = 8;
    private const int InitialThdRatio = 23;

    /// <summary>Below this fundamental current a ratio to it is noise.</summary>
    private const double MinFundamentalA = 0.02;

    /// <summary>Blanks the features a meter of the given tier cannot measure (so a model of a lower tier can be used).</summary>
    public static void Mask(MeterTier tier, Span<float> features)
    {
        if (tier < MeterTier.Harmonic)
        {
            features.Slice(FirstHarmonic, OddHarmonics.Count).Fill(float.NaN);
        }

        if (tier < MeterTier.Thd)
        {
            features[ReactiveVar] = float.NaN;
            features[ReactiveRatio] = float.NaN;
            features[ThdRatio] = float.NaN;
            features[InitialThdRatio] = float.NaN;
        }
    }

    internal static void Compute(TrackedLoad load, DateTimeOffset now, Span<float> features)
    {
        var current = load.Contribution;
        var initial = load.InitialDelta;
        var power = load.RecentPowerW(now, 10);
        features[0] = (float)(now - load.Start).TotalSeconds;
        features[1] = (float)power;
        features[2] = (float)initial.PowerW;
        features[3] = (float)current.ApparentVa;
        features[4] = PowerFactor(current);
        features[ReactiveVar] = (float)current.ReactiveVar;
        features[ReactiveRatio] = Ratio(current.ReactiveVar, current.PowerW);
        var fundamental = current.Fundamental;
        var usable = Math.Abs(fundamental) >= MinFundamentalA;
        features[ThdRatio] = usable ? Ratio(current.DistortionA, fundamental) : float.NaN;
        for (var i = 0; i < OddHarmonics.Count; i++)
        {
            features[FirstHarmonic + i] = usable ? Ratio(current.Harmonics[i], fundamental) : float.NaN;
        }

        features[15] = Ratio(load.InrushW, initial.PowerW);
        features[16] = (float)load.Variation(now, 60);
        var (slope, residual) = load.Trend(now, 300);
        features[17] = (float)slope;
        features[18] = Ratio(power, initial.PowerW);
        features[19] = Ratio(load.MinPowerW, initial.PowerW);
        features[20] = Ratio(load.MaxPowerW, initial.PowerW);
        features[21] = (float)load.MeanIntervalSeconds;
        features[22] = PowerFactor(initial);
        features[InitialThdRatio] = Math.Abs(initial.Fundamental) >= MinFundamentalA ? Ratio(initial.DistortionA, initial.Fundamental) : float.NaN;
        var (jitterW, meanW) = load.JitterW(now, 30);
        var usableMean = Math.Abs(meanW) >= 1;
        features[24] = usableMean ? Ratio(jitterW, meanW) : float.NaN;
        features[25] = Ratio(load.BaselineJitterW, power);
        features[26] = usableMean && !double.IsNaN(load.BaselineJitterW)
            ? Ratio(Math.Sqrt(Math.Max(0, (jitterW * jitterW) - (load.BaselineJitterW * load.BaselineJitterW))), meanW)
            : float.NaN;
        features[27] = (float)residual;
        Mask(load.Tier, features);
    }

    private static float PowerFactor(in LoadVector load)
    {
        var (numerator, denominator) = load.PowerFactor;
        return Ratio(numerator, denominator);
    }

    /// <summary>A ratio bounded to ±10 (NaN stays NaN): a near-zero denominator must not make an outlier the trees split on.</summary>
    private static float Ratio(double numerator, double denominator) =>
        double.IsNaN(numerator) || double.IsNaN(denominator) ? float.NaN
        : Math.Abs(denominator) < 1e-9 ? 0f
        : (float)Math.Clamp(numerator / denominator, -10, 10);
}
