using EdgeSafety.Analytics.Charging;

namespace EdgeSafety.Analytics.Tests;

/// <summary>
/// Hand-made meter series read every second from midnight: a household of 300 W with a small deterministic flicker,
/// and at <see cref="SwitchOnSeconds"/> a load switched on, followed for ten minutes.
/// </summary>
internal static class SwitchOnSeries
{
    public const double SwitchOnSeconds = 120;
    public static readonly DateTimeOffset Midnight = new(2026, 11, 3, 0, 0, 0, TimeSpan.Zero);

    public static double Household(double t) => 300 + (0.3 * Math.Sin(t * 2.1)) + (0.2 * Math.Sin(t * 0.7));

    /// <summary>
    /// Feeds the detector the reading at each second up to ten minutes after the switch-on; the seconds from the
    /// switch-on to the confirmation of a load that came on at or after it, or null (a load switched on before it is
    /// one of its own, confirmed or not, and not looked at).
    /// </summary>
    public static double? ConfirmedAfter(ChargingDetector detector, Func<int, MeterObservation> readingAt)
    {
        for (var t = 0; t < SwitchOnSeconds + 600; t++)
        {
            var started = detector.Observe(readingAt(t))
                .Where(e => e.Kind == ChargingEventKind.Started && e.Session.StartedAt >= Midnight.AddSeconds(SwitchOnSeconds)).ToList();
            if (started.Count != 0)
            {
                return Math.Round((started[0].Session.DetectedAt - started[0].Session.StartedAt).TotalSeconds);
            }
        }

        return null;
    }
}
