namespace EdgeSafety.Analytics.Charging;

/// <summary>
/// An added load waiting for a verdict: when it came on (between <see cref="PreviousAt"/> and <see cref="StartedAt"/>),
/// its meter's tier, and evidence the confirmation rule reads beside the probability (the models do not, the evaluate
/// command records it): how its power has moved since it settled (<see cref="LoadCurve"/>) and its flicker once settled
/// (<see cref="SettledFlickerRatio"/>) and its slow flicker (<see cref="SlowFlickerRatio"/>, <c>TrackedLoad.SlowFlickerRatio</c>).
/// </summary>
public readonly record struct Candidate(string Meter, DateTimeOffset StartedAt, DateTimeOffset PreviousAt, MeterTier Tier, LoadCurve Curve = default,
    double SettledFlickerRatio = double.NaN, double SlowFlickerRatio = double.NaN);

/// <summary>The probability that a fingerprint (<see cref="Fingerprint"/>) is an e-bike charger's.</summary>
public interface IChargingClassifier
{
    float Probability(in Candidate candidate, ReadOnlySpan<float> fingerprint);
}
