namespace EdgeSafety.Analytics.Charging;

/// <summary>
/// How an added load's power has moved since it settled, for the confirmation rule's curve check
/// (<see cref="ChargingDetectorOptions.CurveCheckMaxW"/>): a charger in constant voltage tapers (its current decays
/// as e^(-t/τ), τ from minutes to about an hour), an LED lamp of the same size and shape holds its power. The slope is
/// the least-squares line through the contribution from <see cref="SettleSeconds"/> after the switch-on; the
/// household's drift before the switch-on (a compressor settling after its start) goes on in the contribution, so it
/// is kept to be taken out. The default value (power 0) is "not measured": the check does not apply.
/// </summary>
/// <param name="PowerW">The load's power now (mean of the last 10 s).</param>
/// <param name="MeanW">The mean power since <see cref="SettleSeconds"/>; NaN until there are three readings over 5 s.</param>
/// <param name="SlopeWPerMinute">The slope of the line through the power since <see cref="SettleSeconds"/>.</param>
/// <param name="StandardErrorWPerMinute">The slope's standard error, from the scatter around the line.</param>
/// <param name="BaselineDriftWPerMinute">The household total's drift in the minute before the switch-on, steps left out.</param>
public readonly record struct LoadCurve(double PowerW, double MeanW, double SlopeWPerMinute, double StandardErrorWPerMinute, double BaselineDriftWPerMinute)
{
    /// <summary>The curve leaves out the switch-on itself (a charger's soft start, the step's settling): seconds after it.</summary>
    public const double SettleSeconds = 20;

    /// <summary>The fall of the power, beyond the household's own drift before the switch-on, in % of the mean per minute (negative for a rise).</summary>
    public double FallPercentPerMinute => -(SlopeWPerMinute - Drift) / MeanW * 100;

    /// <summary>
    /// The same fall in units of its uncertainty: the slope's standard error and the household's drift (which may
    /// stop or turn as well as go on) added in quadrature.
    /// </summary>
    public double FallSignificance => -(SlopeWPerMinute - Drift) / Math.Sqrt((StandardErrorWPerMinute * StandardErrorWPerMinute) + (Drift * Drift));

    /// <summary>
    /// Whether the power has held: the line's slope at most <paramref name="percent"/> % of the mean power a minute
    /// and the power now within that % of the mean (false while the mean is not measured).
    /// </summary>
    public bool IsFlat(double percent) =>
        Math.Abs(SlopeWPerMinute) <= percent / 100 * MeanW && Math.Abs(PowerW - MeanW) <= percent / 100 * MeanW;

    private double Drift => double.IsNaN(BaselineDriftWPerMinute) ? 0 : BaselineDriftWPerMinute;

    internal static LoadCurve Of(TrackedLoad load)
    {
        var (mean, slope, standardError) = load.SettledSlope(SettleSeconds);
        return new LoadCurve(load.RecentPowerW(load.LastAt, 10), mean, slope, standardError, load.BaselineDriftWPerMinute);
    }
}
