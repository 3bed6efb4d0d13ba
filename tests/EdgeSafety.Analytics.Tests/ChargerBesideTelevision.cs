using EdgeSafety.Analytics.Charging;

namespace EdgeSafety.Analytics.Tests;

/// <summary>
/// A hand-made household read every second for ten minutes, confirmed by a model sure of every load so that only the
/// rule decides: a household at 200 W whose power swings by the given watts from reading to reading, a charger that
/// ramps to its power over 6 s (its soft start) and then ripples by its own watts, and a 140 W TV whose picture moves
/// its power by ±8 % over 6 s, each switched on at the given second (or never).
/// </summary>
internal static class ChargerBesideTelevision
{
    public const double HouseholdW = 200;
    public const double TelevisionW = 140;

    private static readonly DateTimeOffset Start = new(2026, 3, 2, 19, 0, 0, TimeSpan.Zero);

    /// <summary>The sessions confirmed, as (seconds the load came on, seconds from then to its confirmation).</summary>
    public static List<(double StartedAtSeconds, double DetectedAfterSeconds)> Run(ChargingDetectorOptions options, double householdSwingW, double chargerW,
        double chargerRippleW, double? chargerAt, double? televisionAt)
    {
        var detector = new ChargingDetector("room-7", new SureClassifier(), options);
        var started = new List<(double, double)>();
        for (var second = 0; second < 600; second++)
        {
            var powerW = HouseholdW + (householdSwingW * (second % 2 == 0 ? 1 : -1));
            if (second >= chargerAt)
            {
                powerW += (chargerW * Math.Min(1, (second - chargerAt.Value + 1) / 6.0)) + (chargerRippleW * Math.Sin(second * 1.3));
            }

            if (second >= televisionAt)
            {
                powerW += TelevisionW * (1 + (0.08 * Math.Sin(2 * Math.PI * second / 6)));
            }

            var observation = new MeterObservation(Start.AddSeconds(second), 230, powerW / 230 / 0.95, powerW) { PowerFactor = 0.95 };
            started.AddRange(detector.Observe(observation).Where(e => e.Kind == ChargingEventKind.Started)
                .Select(e => ((e.Session.StartedAt - Start).TotalSeconds, (e.Session.DetectedAt - e.Session.StartedAt).TotalSeconds)));
        }

        return started;
    }
}

/// <summary>The model's verdict taken out of a test: every load is a charger to it, so only the rule decides.</summary>
internal sealed class SureClassifier : IChargingClassifier
{
    public float Probability(in Candidate candidate, ReadOnlySpan<float> fingerprint) => 0.99f;
}
