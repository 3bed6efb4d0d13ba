namespace EdgeSafety.Analytics.Charging;

/// <summary>A load switching on (positive power) or off, or changing its draw, in the household total.</summary>
/// <param name="At">The first reading that showed the change (the change happened since the reading before).</param>
/// <param name="PreviousAt">The last reading before the change.</param>
/// <param name="Delta">New settled level minus the old one.</param>
/// <param name="FirstPowerW">The power change the first changed reading showed (above the settled change: an inrush).</param>
/// <param name="SettledAt">The reading at which the new level was taken.</param>
/// <param name="Settled">False when the change was still moving and was taken where it was (a ramp such as a charger's soft start).</param>
internal readonly record struct Step(DateTimeOffset At, DateTimeOffset PreviousAt, LoadVector Delta, double FirstPowerW, DateTimeOffset SettledAt, bool Settled = true);

/// <summary>
/// Finds steps in the household's active power, robust to meter noise and to sampling from 1 s to 60 s, regular or
/// not. A reading that leaves the settled level by more than the threshold opens a change; the change is a step
/// once two readings agree on a new level without still moving its way (a start-up transient is thereby skipped, a
/// slow soft start is not cut in two), and is dropped when the power comes back to the old level (a spike); one that
/// goes on past the old level the other way is two changes (a load switching off while another's switch-on is still
/// rising). A change still moving after
/// <see cref="MaxPendingReadings"/> readings or <see cref="MaxPendingSeconds"/> is taken as settled where it is: a
/// slow ramp is still a step.
/// </summary>
internal sealed class StepDetector(ChargingDetectorOptions options)
{
    private const int MaxPendingReadings = 4;
    public const double MaxPendingSeconds = 30;

    private readonly LoadVector[] _pending = new LoadVector[MaxPendingReadings];
    private readonly DateTimeOffset[] _pendingAt = new DateTimeOffset[MaxPendingReadings];
    private int _pendingCount;
    private LoadVector _level;
    private DateTimeOffset _levelAt;
    private bool _hasLevel;

    /// <summary>The settled household level: what every tracked load's contribution is measured against.</summary>
    public LoadVector Level => _level;

    /// <summary>A change has begun and not yet settled.</summary>
    public bool IsPending => _pendingCount > 0;

    public bool TryObserve(DateTimeOffset at, in LoadVector reading, out Step step)
    {
        step = default;
        if (!_hasLevel)
        {
            _level = reading;
            _levelAt = at;
            _hasLevel = true;
            return false;
        }

        var threshold = Threshold(_level.PowerW);
        if (_pendingCount == 0)
        {
            if (Math.Abs(reading.PowerW - _level.PowerW) < threshold)
            {
                _level = LoadVector.Mean(_level, reading);
                _levelAt = at;
                return false;
            }

            Pend(at, reading);
            return false;
        }

        if (Math.Abs(reading.PowerW - _level.PowerW) < threshold)
        {
            // Back where it was: a spike, not a step.
            _pendingCount = 0;
            _level = LoadVector.Mean(_level, reading);
            _levelAt = at;
            return false;
        }

        if (Math.Sign(reading.PowerW - _level.PowerW) != Math.Sign(_pending[0].PowerW - _level.PowerW))
        {
            // Past the old level the other way: a second load switched in the opposite direction while the first
            // was still settling (a charger's soft start, a rice cooker switching off). The first change is a step
            // up to its furthest reading; the second starts from there.
            var furthest = 0;
            for (var i = 1; i < _pendingCount; i++)
            {
                if (Math.Abs(_pending[i].PowerW - _level.PowerW) > Math.Abs(_pending[furthest].PowerW - _level.PowerW))
                {
                    furthest = i;
                }
            }

            step = new Step(_pendingAt[0], _levelAt, _pending[furthest] - _level, _pending[0].PowerW - _level.PowerW, _pendingAt[furthest], Settled: false);
            _level = _pending[furthest];
            _levelAt = _pendingAt[furthest];
            _pendingCount = 0;
            Pend(at, reading);
            return true;
        }

        var last = _pending[_pendingCount - 1];
        var agreeing = Math.Abs(reading.PowerW - last.PowerW) < Threshold(reading.PowerW);

        // Two readings a little apart but still moving the change's way are a slow ramp (a lead-acid charger's soft
        // start rises about 12 W a second), not a new level: taken there, the rest of the ramp was a second step.
        var stillRamping = (reading.PowerW - last.PowerW) * Math.Sign(_pending[0].PowerW - _level.PowerW) > Threshold(reading.PowerW) / 2;
        var settled = agreeing && !stillRamping;
        var tooLong = _pendingCount == MaxPendingReadings || (at - _pendingAt[0]).TotalSeconds > MaxPendingSeconds;
        if (!settled && !tooLong)
        {
            Pend(at, reading);
            return false;
        }

        var newLevel = settled ? LoadVector.Mean(last, reading) : reading;
        step = new Step(_pendingAt[0], _levelAt, newLevel - _level, _pending[0].PowerW - _level.PowerW, at, settled);
        _level = newLevel;
        _levelAt = at;
        _pendingCount = 0;
        return true;
    }

    /// <summary>A change must exceed the meter's noise and the wander of the loads already on.</summary>
    private double Threshold(double levelW) => Math.Max(options.MinStepW, options.RelativeStepThreshold * Math.Abs(levelW));

    private void Pend(DateTimeOffset at, in LoadVector reading)
    {
        _pending[_pendingCount] = reading;
        _pendingAt[_pendingCount] = at;
        _pendingCount++;
    }
}
