namespace EdgeSafety.Analytics.Charging;

/// <summary>
/// The confirmation rule's state for one added load: the run of checkpoints whose probability reached the bar, and
/// whether the run is now enough to confirm it as charging (<see cref="ChargingDetectorOptions"/>). The detector keeps
/// one per tracked load; the evaluate command replays recorded probabilities through the same class.
/// </summary>
public sealed class ConfirmationEvidence
{
    private int _hits;
    private double _probabilitySum;

    /// <summary>The mean probability of the run that confirmed (or is building).</summary>
    public double Confidence => _hits == 0 ? 0 : _probabilitySum / _hits;

    /// <summary>Takes one checkpoint's probability; true when the load is now confirmed as charging.</summary>
    public bool Add(ChargingDetectorOptions options, MeterTier tier, double ageSeconds, double probability)
    {
        if (probability >= (tier == MeterTier.Basic ? options.BasicConfirmProbability : options.ConfirmProbability))
        {
            _hits++;
            _probabilitySum += probability;
        }
        else
        {
            _hits = 0;
            _probabilitySum = 0;
        }

        return _hits >= options.ConfirmCheckpoints && ageSeconds >= options.MinConfirmSeconds;
    }
}
