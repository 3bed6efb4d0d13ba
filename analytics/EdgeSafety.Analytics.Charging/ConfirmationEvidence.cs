namespace EdgeSafety.Analytics.Charging;

/// <summary>
/// The confirmation rule's state for one added load, checkpoint by checkpoint (<see cref="ChargingDetectorOptions"/>):
/// a run of checkpoints at or above the bar (<see cref="ChargingDetectorOptions.ConfirmProbability"/>) is evidence;
/// one below it starts the run again. A run confirms the load as charging once it has
/// <see cref="ChargingDetectorOptions.ConfirmCheckpoints"/> checkpoints that all reach
/// <see cref="ChargingDetectorOptions.SureProbability"/> (a clear charger: seconds), or once it has lasted
/// <see cref="ChargingDetectorOptions.ConfirmHoldSeconds"/> (a load the model is less sure of waits for its curve to
/// develop, and a TV or a cooker whose probability falls back on the way never alerts). The detector keeps one per
/// tracked load; the evaluate command replays recorded probabilities through the same class.
/// </summary>
public sealed class ConfirmationEvidence
{
    private int _hits;
    private int _sureHits;
    private double _runStartSeconds;
    private double _probabilitySum;

    /// <summary>The mean probability of the run that confirmed (or is building).</summary>
    public double Confidence => _hits == 0 ? 0 : _probabilitySum / _hits;

    /// <summary>Takes one checkpoint's probability; true when the load is now confirmed as charging.</summary>
    public bool Add(ChargingDetectorOptions options, MeterTier tier, double ageSeconds, double probability)
    {
        var bar = tier == MeterTier.Basic ? options.BasicConfirmProbability : options.ConfirmProbability;
        if (probability < bar)
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
            && (_sureHits >= options.ConfirmCheckpoints || ageSeconds - _runStartSeconds >= options.ConfirmHoldSeconds);
    }
}
