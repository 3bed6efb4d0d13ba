namespace EdgeSafety.Analytics.Charging;

/// <summary>
/// The confirmation rule's state for one added load, checkpoint by checkpoint (<see cref="ChargingDetectorOptions"/>):
/// a run of checkpoints at or above the bar (<see cref="ChargingDetectorOptions.ConfirmProbability"/>) is evidence;
/// one below it starts the run again. A run confirms the load as charging once it has
/// <see cref="ChargingDetectorOptions.ConfirmCheckpoints"/> checkpoints that all reach
/// <see cref="ChargingDetectorOptions.SureProbability"/> (a clear charger: seconds), or once it has lasted
/// <see cref="ChargingDetectorOptions.ConfirmHoldSeconds"/> (a load the model is less sure of waits for its curve to
/// develop, and a TV or a cooker whose probability falls back on the way never alerts). A checkpoint at which the
/// load flickers more than <see cref="ChargingDetectorOptions.MaxFlickerRatio"/> (beyond the household's own flicker)
/// counts as below the bar whatever the model says: a charger's output is regulated, a TV's picture is not; so does one
/// whose flicker once settled exceeds <see cref="ChargingDetectorOptions.MaxSettledFlickerRatio"/> or is not measured
/// yet, when that check is on (<see cref="TrackedLoad.SettledFlickerRatio"/>). A load no larger than
/// <see cref="ChargingDetectorOptions.CurveCheckMaxW"/> confirms only once its curve (<see cref="LoadCurve"/>) has shown
/// a charger's taper: an LED lamp has a nearly full charger's fingerprint, not its curve. A load the model is unsure
/// of may still confirm on a second look (<see cref="ChargingDetectorOptions.SecondLookSeconds"/>, from 90 s): a
/// run of later checkpoints at which it is a flat, regulated, power-factor-corrected load of a PFC charger's size and
/// the model gives it at least <see cref="ChargingDetectorOptions.SecondLookProbability"/>, or (an option, off by default:
/// <see cref="ChargingDetectorOptions.SmallChargerLookSeconds"/>) a flat, regulated rectifier load of a small plain
/// charger's size the model gives at least <see cref="ChargingDetectorOptions.SmallChargerLookProbability"/>. The detector keeps one per
/// tracked load; the evaluate command replays recorded checkpoints through the same class.
/// </summary>
public sealed class ConfirmationEvidence
{
    /// <summary>The fingerprint's measure of the load's own flicker (<c>own_jitter_ratio</c>), which the rule reads besides the probability.</summary>
    public static readonly int FlickerFeature = FeatureIndex("own_jitter_ratio");

    /// <summary>The fingerprint's household flicker before the switch-on over the load's power (<c>baseline_jitter_ratio</c>), the settled flicker check's noise margin.</summary>
    public static readonly int HouseholdFlickerFeature = FeatureIndex("baseline_jitter_ratio");

    /// <summary>The fingerprint's distortion current over the fundamental (<c>thd_ratio</c>), which the second look reads.</summary>
    public static readonly int ThdFeature = FeatureIndex("thd_ratio");

    private int _hits;
    private int _sureHits;
    private double _runStartSeconds;
    private double _probabilitySum;
    private bool _curveShown;
    private int _secondLookHits;
    private double _secondLookProbabilitySum;
    private bool _confirmedOnSecondLook;

    /// <summary>The mean probability of the run that confirmed (or is building).</summary>
    public double Confidence => _confirmedOnSecondLook ? _secondLookProbabilitySum / _secondLookHits
        : _hits == 0 ? 0 : _probabilitySum / _hits;

    /// <summary>
    /// Takes one checkpoint: the load's age, the model's probability and what else the rule reads there
    /// (<see cref="CheckpointEvidence"/>). True when the load is now confirmed as charging.
    /// </summary>
    public bool Add(ChargingDetectorOptions options, MeterTier tier, double ageSeconds, double probability, in CheckpointEvidence evidence) =>
        AddToRun(options, tier, ageSeconds, probability, evidence) || AddToSecondLook(options, ageSeconds, probability, evidence);

    private bool AddToRun(ChargingDetectorOptions options, MeterTier tier, double ageSeconds, double probability, in CheckpointEvidence evidence)
    {
        var curve = evidence.Curve;
        _curveShown = _curveShown || (ageSeconds <= options.TaperWithinSeconds && ShowsTaper(options, curve));
        var bar = tier == MeterTier.Basic ? options.BasicConfirmProbability : options.ConfirmProbability;
        if (probability < bar || evidence.FlickerRatio > options.MaxFlickerRatio || FlickersOnceSettled(options, evidence) || WandersSlowly(options, evidence))
        {
            _hits = 0;
            _sureHits = 0;
            _probabilitySum = 0;
            return false;
        }

        if (_hits == 0)
        {
            _runStartSeconds = ageSeconds;
        }

        _hits++;
        _probabilitySum += probability;
        _sureHits = probability >= Math.Max(bar, options.SureProbability) ? _sureHits + 1 : 0;
        return _hits >= options.ConfirmCheckpoints && ageSeconds >= options.MinConfirmSeconds
            && (_sureHits >= options.ConfirmCheckpoints || ageSeconds - _runStartSeconds >= options.ConfirmHoldSeconds)
            && (_curveShown || !(curve.PowerW > 0 && curve.PowerW <= options.CurveCheckMaxW));
    }

    /// <summary>
    /// The second look's run: checkpoints at which the load is flat and regulated and either, from
    /// <see cref="ChargingDetectorOptions.SecondLookSeconds"/>, a nearly sinusoidal load of a PFC charger's size with at
    /// least the second look's probability, or, from <see cref="ChargingDetectorOptions.SmallChargerLookSeconds"/>, a
    /// rectifier load of a small charger's size with at least the small charger look's probability; any other
    /// checkpoint starts it again.
    /// </summary>
    private bool AddToSecondLook(ChargingDetectorOptions options, double ageSeconds, double probability, in CheckpointEvidence evidence)
    {
        var curve = evidence.Curve;
        var looksLikePfcCharger = options.SecondLookSeconds > 0 && ageSeconds >= options.SecondLookSeconds
            && probability >= options.SecondLookProbability
            && curve.PowerW >= options.SecondLookMinW && curve.PowerW <= options.SecondLookMaxW
            && Math.Abs(evidence.ThdRatio) <= options.SecondLookMaxThdRatio;
        var looksLikeSmallCharger = options.SmallChargerLookSeconds > 0 && ageSeconds >= options.SmallChargerLookSeconds
            && probability >= options.SmallChargerLookProbability
            && curve.PowerW >= options.SmallChargerLookMinW && curve.PowerW <= options.SmallChargerLookMaxW
            && evidence.ThdRatio > options.SecondLookMaxThdRatio;
        var regulated = !(evidence.FlickerRatio > options.MaxFlickerRatio)
            && evidence.SettledFlickerRatio <= options.SecondLookMaxSettledFlickerRatio
            && curve.IsFlat(options.SecondLookMaxChangePercent);
        if (!((looksLikePfcCharger || looksLikeSmallCharger) && regulated))
        {
            _secondLookHits = 0;
            _secondLookProbabilitySum = 0;
            return false;
        }

        _secondLookHits++;
        _secondLookProbabilitySum += probability;
        return _confirmedOnSecondLook = _secondLookHits >= options.ConfirmCheckpoints;
    }

    /// <summary>
    /// Whether the settled flicker check (when on) holds the checkpoint back: the load's flicker once settled is not
    /// measured yet or exceeds the bar, raised by the noise margin in a noisy household. A load larger than
    /// <see cref="ChargingDetectorOptions.SettledFlickerMaxW"/> is not checked; one whose power is not measured (a
    /// recording without curves) is.
    /// </summary>
    private static bool FlickersOnceSettled(ChargingDetectorOptions options, in CheckpointEvidence evidence)
    {
        if (options.MaxSettledFlickerRatio >= ChargingDetectorOptions.FlickerCheckOff || evidence.Curve.PowerW > options.SettledFlickerMaxW)
        {
            return false;
        }

        var margin = evidence.NoiseMargin(options.SettledFlickerNoiseMargin);
        var bar = options.SettledFlickerMarginAdds ? options.MaxSettledFlickerRatio + margin : Math.Max(options.MaxSettledFlickerRatio, margin);
        return !(evidence.SettledFlickerRatio <= bar);
    }

    /// <summary>
    /// Whether the slow flicker check (when on) holds the checkpoint back: the load's power wanders over seconds
    /// (<see cref="CheckpointEvidence.SlowFlickerRatio"/>) by more than the bar, raised by the noise margin in a noisy
    /// household (the meter's noise cancels in the measure on average, not in one short window). A load larger than
    /// <see cref="ChargingDetectorOptions.SettledFlickerMaxW"/> is not checked; one not measured yet is held back only in
    /// a household known to be at least as noisy as <see cref="ChargingDetectorOptions.SlowFlickerWaitHouseholdRatio"/>.
    /// </summary>
    private static bool WandersSlowly(ChargingDetectorOptions options, in CheckpointEvidence evidence)
    {
        if (options.MaxSlowFlickerRatio >= ChargingDetectorOptions.FlickerCheckOff || evidence.Curve.PowerW > options.SettledFlickerMaxW)
        {
            return false;
        }

        if (double.IsNaN(evidence.SlowFlickerRatio))
        {
            return evidence.HouseholdFlickerRatio >= options.SlowFlickerWaitHouseholdRatio;
        }

        var margin = evidence.NoiseMargin(options.SlowFlickerNoiseMargin);
        return evidence.SlowFlickerRatio > options.MaxSlowFlickerRatio + margin;
    }

    private static int FeatureIndex(string name) => Fingerprint.Names.ToList().IndexOf(name) is var index and >= 0
        ? index
        : throw new InvalidOperationException($"The fingerprint has no {name} feature, which the confirmation rule reads.");

    /// <summary>Whether the curve falls as a charger's in constant voltage does: by enough, and clearly beyond the household's noise and drift.</summary>
    private static bool ShowsTaper(ChargingDetectorOptions options, in LoadCurve curve) =>
        curve.FallPercentPerMinute >= options.MinTaperPercentPerMinute && curve.FallSignificance >= options.MinTaperSignificance;
}

/// <summary>
/// What the confirmation rule reads at a checkpoint besides the load's age and the model's probability: the load's own
/// flicker (the fingerprint's <c>own_jitter_ratio</c>; NaN when it cannot be measured), its curve (default: not
/// measured, no curve check), its flicker once settled (NaN while not measured), the household's flicker over the
/// load's power (the fingerprint's <c>baseline_jitter_ratio</c>; NaN: no noise margin), its distortion current over
/// the fundamental (the fingerprint's <c>thd_ratio</c>; NaN when the meter gives no THD) and its slow flicker once
/// settled (<c>TrackedLoad.SlowFlickerRatio</c>; NaN while not measured: not checked).
/// </summary>
public readonly record struct CheckpointEvidence(double FlickerRatio, LoadCurve Curve = default, double SettledFlickerRatio = double.NaN,
    double HouseholdFlickerRatio = double.NaN, double ThdRatio = double.NaN, double SlowFlickerRatio = double.NaN)
{
    /// <summary>The evidence of a checkpoint: the fingerprint's features the rule reads, with the load's curve and settled flicker.</summary>
    public static CheckpointEvidence Of(ReadOnlySpan<float> fingerprint, in LoadCurve curve, double settledFlickerRatio) => new(
        fingerprint[ConfirmationEvidence.FlickerFeature], curve, settledFlickerRatio, fingerprint[ConfirmationEvidence.HouseholdFlickerFeature],
        fingerprint[ConfirmationEvidence.ThdFeature]);

    /// <summary>How far a flicker check's bar rises in this household: <paramref name="times"/> its flicker over the load's power; 0 when not measured.</summary>
    public double NoiseMargin(double times) => double.IsNaN(HouseholdFlickerRatio) ? 0 : times * HouseholdFlickerRatio;
}
