namespace EdgeSafety.Analytics.Charging;

/// <summary>An added load waiting for a verdict: when it came on (between <see cref="PreviousAt"/> and <see cref="StartedAt"/>) and its meter's tier.</summary>
public readonly record struct Candidate(string Meter, DateTimeOffset StartedAt, DateTimeOffset PreviousAt, MeterTier Tier);

/// <summary>The probability that a fingerprint (<see cref="Fingerprint"/>) is an e-bike charger's.</summary>
public interface IChargingClassifier
{
    float Probability(in Candidate candidate, ReadOnlySpan<float> fingerprint);
}
