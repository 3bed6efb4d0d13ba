using System.ComponentModel.DataAnnotations;

namespace EdgeSafety.Analytics.Charging;

/// <summary>
/// The detector's settings. The defaults are the ones the committed models were trained and evaluated with
/// (analytics/models/MODEL_CARD.md); ingest binds them from its "Charging" section.
/// </summary>
public sealed class ChargingDetectorOptions
{
    /// <summary>The smallest power step taken as a switch-on or switch-off, in watts.</summary>
    [Range(1.0, 1000.0)]
    public double MinStepW { get; set; } = 15;

    /// <summary>The smallest step as a share of the household's total power (a busy household's total wanders more).</summary>
    [Range(0.0, 0.5)]
    public double RelativeStepThreshold { get; set; } = 0.015;

    /// <summary>Added loads outside this range are not candidates (e-bike chargers draw about 40 to 600 W).</summary>
    [Range(1.0, 10_000.0)]
    public double CandidateMinW { get; set; } = 15;

    [Range(1.0, 10_000.0)]
    public double CandidateMaxW { get; set; } = 1_200;

    /// <summary>The classifier's probability a fingerprint must reach to count towards confirmation.</summary>
    [Range(0.01, 1.0)]
    public double ConfirmProbability { get; set; } = 0.8;

    /// <summary>
    /// The same for a basic meter (power and power factor only), where a refrigerator larger than any seen in training
    /// makes a charger-like step: a higher bar trades some recall for fewer false alarms (docs/charging-diagnosis.md).
    /// </summary>
    [Range(0.01, 1.0)]
    public double BasicConfirmProbability { get; set; } = 0.9;

    /// <summary>How many successive checkpoints (at 10, 15, 20, 25, 30, 40, 50, 60, 75, 90 s ...) must reach it.</summary>
    [Range(1, 10)]
    public int ConfirmCheckpoints { get; set; } = 2;

    /// <summary>
    /// <see cref="ConfirmCheckpoints"/> successive checkpoints at or above this confirm at once; a run that reaches
    /// the confirmation probability but not this must last <see cref="ConfirmHoldSeconds"/>. The default (the
    /// confirmation probability) keeps the rule the committed figures were measured with: every run confirms at once.
    /// 0.97 trades latency for a few false alarms (docs/charging-diagnosis.md, "Confirmation rule").
    /// </summary>
    [Range(0.01, 1.0)]
    public double SureProbability { get; set; } = 0.8;

    /// <summary>How long a run of checkpoints at or above the confirmation probability, not all sure, must last to confirm (seconds from its first checkpoint).</summary>
    [Range(0.0, 3600.0)]
    public double ConfirmHoldSeconds { get; set; } = 60;

    /// <summary>
    /// A checkpoint whose load flickers more than this does not count towards confirmation (its own RMS change from
    /// reading to reading over the last 30 s beyond the household's, over its power): a charger's regulated output
    /// hardly moves, a TV's picture moves it by a few %. 10 (the default) turns the check off: at 0.015 it removes
    /// most held-out TV false alarms but also misses chargers next to other flickering loads (docs/charging-diagnosis.md).
    /// </summary>
    [Range(0.001, 10.0)]
    public double MaxFlickerRatio { get; set; } = 10;

    /// <summary>
    /// The same check on the load's flicker once settled (<c>SettledFlickerRatio</c>: from 6 s after the switch-on to
    /// the household's next step, beyond the household's flicker before it): neither the switch-on's soft start nor a
    /// flickering load switched on later counts, so it holds back TVs without holding back chargers. A load whose
    /// settled flicker is not measured yet (fewer than three readings) waits. 10 (the default) turns the check off
    /// (docs/charging-diagnosis.md, "Fifth round: a settled flicker").
    /// </summary>
    [Range(0.001, 10.0)]
    public double MaxSettledFlickerRatio { get; set; } = 10;

    /// <summary>
    /// A load drawing at most this (W) confirms only once its curve has shown a charger's taper
    /// (<see cref="MinTaperPercentPerMinute"/>, <see cref="MinTaperSignificance"/>; <see cref="LoadCurve"/>): a nearly
    /// full charger in constant voltage and an LED lamp have the same narrow rectifier pulse, but only the charger's
    /// power falls. On the validation households 70 W (the default) took the held-out LED lamps' false alarms from 53
    /// to 6 and cost no charger: no charger that small was confirmed there at all. 0 turns the check off
    /// (docs/charging-diagnosis.md, "Fifth round: a charger's curve").
    /// </summary>
    [Range(0.0, 10_000.0)]
    public double CurveCheckMaxW { get; set; } = 70;

    /// <summary>The fall (% of the load's power per minute, beyond the household's drift before it came on) that counts as a taper.</summary>
    [Range(0.0, 100.0)]
    public double MinTaperPercentPerMinute { get; set; } = 0.5;

    /// <summary>How many times its uncertainty (the line's standard error and the household's drift) the fall must be to count as a taper.</summary>
    [Range(0.0, 100.0)]
    public double MinTaperSignificance { get; set; } = 3;

    /// <summary>
    /// The taper counts only if it shows by this age (seconds after the switch-on): a charger's shows within minutes,
    /// while a lamp's flat power, looked at for an hour, sooner or later meets another load's drift that looks like one.
    /// </summary>
    [Range(0.0, 3600.0)]
    public double TaperWithinSeconds { get; set; } = 120;

    /// <summary>
    /// A switch-off whose settled drop matches no load, but whose first reading went further down than where it
    /// settled (by at least 30 W), is matched by that first reading's drop instead: a load switched off while another
    /// was switching on (a rice cooker going off as a charger's soft start rises) then ends the load it switched off,
    /// and what the other added is a load of its own. On by default: on both validation sets it found the one session
    /// it touched and changed nothing else at any tier; false gives the fifth round's detector, in which such a
    /// switch-off matched nothing and the charger was never tracked (docs/charging-diagnosis.md, "Seventh round:
    /// HeldOut misses and detector faults").
    /// </summary>
    public bool MatchOvershootingSwitchOff { get; set; } = true;

    /// <summary>The added load must have lasted this long before it is confirmed as charging.</summary>
    [Range(0.0, 3600.0)]
    public double MinConfirmSeconds { get; set; } = 15;

    /// <summary>A session still charging after this long raises 'charging unusually long'.</summary>
    [Range(0.1, 168.0)]
    public double UnusuallyLongHours { get; set; } = 8;

    /// <summary>Charging has ended when the added load stays below this (or 1.5% of its peak) for <see cref="EndHoldSeconds"/>.</summary>
    [Range(0.0, 100.0)]
    public double EndPowerW { get; set; } = 3;

    [Range(1.0, 3600.0)]
    public double EndHoldSeconds { get; set; } = 120;
}
