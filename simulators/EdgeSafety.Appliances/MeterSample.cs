using System.Runtime.CompilerServices;

namespace EdgeSafety.Appliances;

/// <summary>
/// One reading of a household meter: RMS values of the moment (an instantaneous sample of the meter's latest
/// measuring window, not an average over the sampling interval) and the current's harmonics in % of the fundamental.
/// </summary>
/// <param name="Timestamp">When the reading was taken.</param>
/// <param name="VoltageV">RMS voltage at the meter (the supply less the service cable's drop).</param>
/// <param name="CurrentA">RMS current, sqrt(sum of Ih^2, h = 1..31).</param>
/// <param name="PowerW">Active power of the fundamental, V·I1·cos(phi1) (the voltage is sinusoidal).</param>
/// <param name="ApparentVa">V·Irms, harmonics included, so PowerFactor = PowerW / ApparentVa falls with distortion.</param>
/// <param name="ReactiveVar">Reactive power of the fundamental, V·I1·sin(phi1): positive lagging (inductive), negative leading.</param>
/// <param name="PowerFactor">PowerW / ApparentVa: displacement and distortion together.</param>
/// <param name="FrequencyHz">Mains frequency.</param>
/// <param name="ThdIPct">Total harmonic distortion of the current, sqrt(sum of Ih^2, h = 2..31) / I1, in %.</param>
/// <param name="Harmonics">Each harmonic's magnitude in % of the fundamental.</param>
public readonly record struct MeterSample(
    DateTimeOffset Timestamp,
    double VoltageV,
    double CurrentA,
    double PowerW,
    double ApparentVa,
    double ReactiveVar,
    double PowerFactor,
    double FrequencyHz,
    double ThdIPct,
    HarmonicPercents Harmonics)
{
    /// <summary>The protocol's value names of the current's harmonics, by order (index 2 is h2_pct), made once.</summary>
    private static readonly string[] HarmonicValueNames = [.. Enumerable.Range(0, HarmonicPercents.LastOrder + 1).Select(order => $"h{order}_pct")];

    /// <summary>
    /// Writes what a harmonic meter reports of this sample under the protocol's value names (docs/protocol.md), all but
    /// the energy register, which is the meter's running total and so its owner's. Publishers that send the values as
    /// JSON round them to <paramref name="decimals"/> places, as a meter's display would, to keep payloads realistic.
    /// </summary>
    public void WriteValues(IDictionary<string, double> values, int? decimals = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        values["voltage_v"] = Round(VoltageV, decimals);
        values["current_a"] = Round(CurrentA, decimals);
        values["power_w"] = Round(PowerW, decimals);
        values["apparent_va"] = Round(ApparentVa, decimals);
        values["reactive_var"] = Round(ReactiveVar, decimals);
        values["power_factor"] = Round(PowerFactor, decimals);
        values["frequency_hz"] = Round(FrequencyHz, decimals);
        values["thd_i_pct"] = Round(ThdIPct, decimals);
        for (var order = HarmonicPercents.FirstOrder; order <= HarmonicPercents.LastOrder; order++)
        {
            values[HarmonicValueNames[order]] = Round(Harmonics[order], decimals);
        }
    }

    private static double Round(double value, int? decimals) => decimals is { } places ? Math.Round(value, places) : value;
}

/// <summary>The current's harmonics 2..31 in % of its fundamental.</summary>
public readonly struct HarmonicPercents : IEquatable<HarmonicPercents>
{
    public const int FirstOrder = 2;
    public const int LastOrder = CurrentSpectrum.MaxOrder;

    private readonly Buffer _values;

    /// <summary>Takes orders 2..31 in order, from index 0.</summary>
    public HarmonicPercents(ReadOnlySpan<double> orders2To31)
    {
        if (orders2To31.Length != LastOrder - FirstOrder + 1)
        {
            throw new ArgumentException($"Expected {LastOrder - FirstOrder + 1} harmonics (orders 2..31), got {orders2To31.Length}.", nameof(orders2To31));
        }

        orders2To31.CopyTo(_values);
    }

    /// <summary>The harmonic of the given order (2..31) in % of the fundamental.</summary>
    public double this[int order] => order is >= FirstOrder and <= LastOrder
        ? _values[order - FirstOrder]
        : throw new ArgumentOutOfRangeException(nameof(order), order, "Harmonic orders run from 2 to 31.");

    /// <summary>Copies orders 2..31 to the destination, from index 0.</summary>
    public void CopyTo(Span<double> destination) => ((ReadOnlySpan<double>)_values).CopyTo(destination);

    public bool Equals(HarmonicPercents other) => ((ReadOnlySpan<double>)_values).SequenceEqual(other._values);

    public override bool Equals(object? obj) => obj is HarmonicPercents other && Equals(other);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var value in (ReadOnlySpan<double>)_values)
        {
            hash.Add(value);
        }

        return hash.ToHashCode();
    }

    public static bool operator ==(HarmonicPercents left, HarmonicPercents right) => left.Equals(right);

    public static bool operator !=(HarmonicPercents left, HarmonicPercents right) => !left.Equals(right);

    [InlineArray(LastOrder - FirstOrder + 1)]
    private struct Buffer
    {
        private double _element;
    }
}
