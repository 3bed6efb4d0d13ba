using System.Runtime.CompilerServices;

namespace EdgeSafety.Analytics.Charging;

/// <summary>What a meter can measure, from most to least: the tier decides which fingerprint features exist.</summary>
public enum MeterTier
{
    /// <summary>Power and power factor only (with voltage and current).</summary>
    Basic,

    /// <summary>Adds the current's total harmonic distortion and reactive power.</summary>
    Thd,

    /// <summary>Adds the current's odd harmonics 3 to 15, in % of the fundamental.</summary>
    Harmonic,
}

/// <summary>
/// One reading of a household meter (a row of the detect CSV, or a meter reading from MQTT). Voltage, current and
/// active power are always there; the rest depends on the meter's tier and is null where the meter lacks it.
/// </summary>
public readonly record struct MeterObservation(DateTimeOffset Timestamp, double VoltageV, double CurrentA, double PowerW)
{
    public double? ReactiveVar { get; init; }

    public double? PowerFactor { get; init; }

    public double? ThdIPct { get; init; }

    /// <summary>Current harmonics 3, 5, ... 15 in % of the fundamental; null unless the meter measures all of them.</summary>
    public OddHarmonics? Harmonics { get; init; }

    /// <summary>The tier this reading's fields make: harmonics present, else THD present, else basic.</summary>
    public MeterTier Tier => Harmonics is not null ? MeterTier.Harmonic : ThdIPct is not null ? MeterTier.Thd : MeterTier.Basic;

    /// <summary>The reading as a meter of a lower tier would give it (harmonic keeps everything, THD drops harmonics, basic keeps P and PF).</summary>
    public MeterObservation AsTier(MeterTier tier) => tier switch
    {
        MeterTier.Harmonic => this,
        MeterTier.Thd => this with { Harmonics = null },
        _ => this with { Harmonics = null, ThdIPct = null, ReactiveVar = null },
    };
}

/// <summary>The current's odd harmonics 3..15 in % of the fundamental (index 0 is the 3rd, index 6 the 15th).</summary>
[InlineArray(Count)]
public struct OddHarmonics
{
    public const int Count = 7;

    private double _element;

    /// <summary>The order of the harmonic at an index: 3, 5, ... 15.</summary>
    public static int OrderAt(int index) => 3 + (2 * index);
}
