namespace EdgeSafety.Analytics.Charging;

/// <summary>
/// An added load waiting for a verdict: when it came on (between <see cref="PreviousAt"/> and <see cref="StartedAt"/>),
/// its meter's tier, and how its power has moved since it settled (<see cref="LoadCurve"/>; the rule reads it, the
/// model does not).
/// </summary>
public readonly record struct Candidate(string Meter, DateTimeOffset StartedAt, DateTimeOffset PreviousAt, MeterTier Tier, LoadCurve Curve = default);

/// <summary>The probability that a fingerprint (<see cref="Fingerprint"/>) is an e-bike charger's.</summary>
public interface IChargingClassifier
{
    float Probability(in Candidate candidate, ReadOnlySpan<float> fingerprint);
}
