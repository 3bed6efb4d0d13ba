namespace EdgeSafety.Analytics.Noise;

/// <summary>
/// The stored form of a stretch of levels, from which LAeq and Lmax follow and which adds up exactly: the energy
/// <c>Σ 10^(L/10) · Δt</c> (relative sound exposure, in seconds), the seconds it covers and the highest level.
/// Any longer window is the sum of the shorter ones it is made of (<see cref="Plus"/>), with no loss, which averaging
/// decibels would never give.
/// </summary>
public readonly record struct SoundExposure(double Energy, double Seconds, double MaxDb)
{
    public static SoundExposure Empty { get; } = new(0, 0, double.NegativeInfinity);

    /// <summary>A level held for a duration.</summary>
    public static SoundExposure Of(double db, double seconds) => new(Math.Pow(10, db / 10) * seconds, seconds, db);

    /// <summary>Equivalent continuous level over the covered time: 10·log10 of the time-weighted mean of 10^(L/10).</summary>
    public double? Laeq => Seconds > 0 ? 10 * Math.Log10(Energy / Seconds) : null;

    /// <summary>The highest level, or null when nothing was measured.</summary>
    public double? Lmax => double.IsNegativeInfinity(MaxDb) ? null : MaxDb;

    public SoundExposure Plus(SoundExposure other) =>
        new(Energy + other.Energy, Seconds + other.Seconds, Math.Max(MaxDb, other.MaxDb));

    public static SoundExposure Sum(IEnumerable<SoundExposure> parts) => parts.Aggregate(Empty, (total, part) => total.Plus(part));
}
