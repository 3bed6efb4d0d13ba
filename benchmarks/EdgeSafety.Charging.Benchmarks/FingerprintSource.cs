using EdgeSafety.Analytics.Charging;

namespace EdgeSafety.Charging.Benchmarks;

/// <summary>An added load as the detector holds it five minutes after a 250 W charger came on, read every second.</summary>
internal sealed class FingerprintSource
{
    private readonly TrackedLoad _load;
    private readonly DateTimeOffset _now;

    private FingerprintSource(TrackedLoad load, DateTimeOffset now)
    {
        _load = load;
        _now = now;
    }

    public static FingerprintSource Charger()
    {
        var start = new DateTimeOffset(2026, 11, 22, 21, 0, 0, TimeSpan.FromHours(8));
        var before = Reading(start, 120);
        var after = Reading(start, 370);
        var load = new TrackedLoad(new Step(start, start.AddSeconds(-1), after - before, 265, start.AddSeconds(1)), before, MeterTier.Harmonic, baselineJitterW: 1.5);
        var at = start.AddSeconds(1);
        for (var second = 2; second <= 300; second++)
        {
            at = start.AddSeconds(second);
            load.Observe(at, Reading(at, 370 + (second * 0.05)), MeterTier.Harmonic);
        }

        return new FingerprintSource(load, at);
    }

    public void Compute(Span<float> destination) => Fingerprint.Compute(_load, _now, destination);

    private static LoadVector Reading(DateTimeOffset at, double powerW)
    {
        var harmonics = default(OddHarmonics);
        for (var i = 0; i < OddHarmonics.Count; i++)
        {
            harmonics[i] = 60.0 / (i + 1);
        }

        return LoadVector.Of(new MeterObservation(at, 220, powerW / 220 / 0.65, powerW) { ReactiveVar = powerW * 0.1, PowerFactor = 0.65, ThdIPct = 80, Harmonics = harmonics });
    }
}
