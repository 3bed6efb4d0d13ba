namespace EdgeSafety.Analytics.Charging;

/// <summary>
/// E-bike charging detection for one meter, reading by reading in time order: steps in the household total become
/// tracked loads; each added load is fingerprinted and classified at checkpoints after it came on (10, 15, 20 ...
/// seconds); it is confirmed as charging by the rule of <see cref="ConfirmationEvidence"/> (by default when
/// <see cref="ChargingDetectorOptions.ConfirmCheckpoints"/> successive checkpoints reach
/// <see cref="ChargingDetectorOptions.ConfirmProbability"/>, or for a basic meter
/// <see cref="ChargingDetectorOptions.BasicConfirmProbability"/>): a few seconds of latency for far fewer false
/// alarms. It is then followed as a session to its end. Not thread-safe: one caller per meter.
/// </summary>
public sealed class ChargingDetector
{
    /// <summary>Ages (seconds after switch-on) at which an added load is classified; a reading classifies once however many it passed.</summary>
    /// <remarks>
    /// Dense to five minutes (every 15 to 30 s after the first minute): a charger whose fingerprint is only clear once
    /// its curve has developed is confirmed at the next checkpoint after that, not minutes later (the p95 latency).
    /// </remarks>
    private static readonly double[] Checkpoints = [10, 15, 20, 25, 30, 40, 50, 60, 75, 90, 105, 120, 150, 180, 210, 240, 270, 300, 360, 420, 480, 600, 750, 900, 1200, 1500, 1800, 2400, 3000, 3600];

    /// <summary>A household rarely has more loads switched on since we started watching; beyond it the oldest unconfirmed one is dropped.</summary>
    private const int MaxTrackedLoads = 16;

    /// <summary>A negative step ends the load whose contribution it cancels to within this share (or 20 W).</summary>
    private const double OffMatchShare = 0.3;
    private const double OffMatchMinW = 20;

    /// <summary>
    /// A switch-off that leaves this much of the load it ends is two loads, if the load came on at most
    /// <see cref="RestOfYoungLoadSeconds"/> before: within that, the other loads' drift hardly moves a contribution.
    /// </summary>
    private const double RestMinW = 30;
    private const double RestOfYoungLoadSeconds = 300;

    /// <summary>
    /// An older load's rest must have been in its contribution at its lowest to this share (meter noise and the
    /// load's own wander take the rest); see <see cref="ChargingDetectorOptions.RestOfOlderMergedLoad"/>.
    /// </summary>
    private const double RestDrawnAllAlongShare = 0.8;

    /// <summary>
    /// A switch-off that matches no load is looked for inside loads at most this old: a refrigerator's compressor that
    /// came on in a charger's step runs for minutes (9-15 on the validation sets), not hours.
    /// </summary>
    private const double MaxSplitAgeSeconds = 1800;

    /// <summary>The household's flicker before a switch-on is measured over this long before it (at least two changes).</summary>
    private const double BaselineJitterSeconds = 60;

    /// <summary>
    /// The household's drift before a switch-on leaves out the changes this close to it: a charger's soft start
    /// begins with a rise smaller than a step, which is the load's own, not the household's drift.
    /// </summary>
    private const double DriftGuardSeconds = 10;

    /// <summary>Enough recent readings of the total for <see cref="BaselineJitterSeconds"/> at 1 s sampling.</summary>
    private const int RecentCapacity = 64;

    private readonly IChargingClassifier _classifier;
    private readonly double[] _recentSeconds = new double[RecentCapacity];
    private readonly double[] _recentPowers = new double[RecentCapacity];
    private int _recentCount;
    private readonly ChargingDetectorOptions _options;
    private readonly StepDetector _steps;
    private readonly List<TrackedLoad> _loads = [];
    private readonly List<ChargingEvent> _events = [];
    private readonly float[] _fingerprint = new float[Fingerprint.Count];
    private DateTimeOffset _lastAt = DateTimeOffset.MinValue;
    private DateTimeOffset _lastStepSettledAt = DateTimeOffset.MinValue;

    public ChargingDetector(string meter, IChargingClassifier classifier, ChargingDetectorOptions options)
    {
        Meter = meter;
        _classifier = classifier;
        _options = options;
        _steps = new StepDetector(options);
    }

    public string Meter { get; }

    /// <summary>Readings not later than the one before (duplicates, or out of order): skipped, since steps need time order.</summary>
    public long SkippedReadings { get; private set; }

    /// <summary>The sessions confirmed and not ended, as of the last reading.</summary>
    public IEnumerable<ChargingSession> ActiveSessions =>
        _loads.Where(load => load.Session is not null).Select(load => Snapshot(load, _lastAt, endedAt: null));

    /// <summary>Takes one reading; returns what happened (a list reused by the next call).</summary>
    public IReadOnlyList<ChargingEvent> Observe(in MeterObservation observation)
    {
        _events.Clear();
        var at = observation.Timestamp;
        if (at <= _lastAt)
        {
            SkippedReadings++;
            return _events;
        }

        _lastAt = at;
        var tier = observation.Tier;
        var reading = LoadVector.Of(observation);
        Remember(at, reading.PowerW);
        if (_steps.TryObserve(at, reading, out var step))
        {
            OnStep(step, tier);
        }

        if (_steps.IsPending)
        {
            // Loads are followed on settled readings only, so a change under way is not taken for their own.
            return _events;
        }

        for (var i = _loads.Count - 1; i >= 0; i--)
        {
            var load = _loads[i];
            load.Observe(at, reading, tier);
            if (load.Session is null && load.Contribution.PowerW > reading.PowerW + _options.MinStepW)
            {
                // More than the whole household draws: its baseline went below zero, moved by a step that was not the
                // other loads' (a switch-on and a switch-off in one reading, then one of them undone), so what it
                // measures is no load's. Forgotten before it is classified.
                _loads.RemoveAt(i);
                continue;
            }

            if (load.Session is null ? !Classify(load, at) : !FollowSession(load, at))
            {
                _loads.RemoveAt(i);
            }
        }

        return _events;
    }

    private void OnStep(in Step step, MeterTier tier)
    {
        var before = _steps.Level - step.Delta;

        // A switch-on whose rise the step detector took before it was over (a charger's soft start) gets the rest of
        // it: the next step up straight after it, or what a switch-off overlapping it had beyond the ended load's draw.
        var stepAt = step.At;
        TrackedLoad? Rising() => _loads.LastOrDefault(load => load.StillRising && (stepAt - load.Start).TotalSeconds <= StepDetector.MaxPendingSeconds);
        var rising = Rising();
        TrackedLoad? ended = null;
        var split = false;
        if (step.Delta.PowerW < 0)
        {
            ended = MatchSwitchOff(step.Delta.PowerW);
            if (ended is null && _options.MatchOvershootingSwitchOff && step.FirstPowerW <= step.Delta.PowerW - RestMinW)
            {
                // The settled drop is a switch-off with another load's switch-on in it: the first reading is the switch-off's own.
                ended = MatchSwitchOff(step.FirstPowerW);
            }

            if (ended is null && rising is null && _options.SplitMergedLoadAtUnmatchedSwitchOff)
            {
                ended = MergedLoadHolding(step);
                split = ended is not null;
            }

            if (ended is not null)
            {
                _loads.Remove(ended);
                End(ended, step.At);
                rising = rising == ended ? Rising() : rising;
            }
        }

        var continuesRise = rising is not null && ended is null && step.Delta.PowerW > 0 && step.PreviousAt == rising.RiseTakenAt;
        foreach (var load in _loads)
        {
            if (load != rising)
            {
                load.ShiftBaseline(step.Delta);
            }
            else if (ended is not null)
            {
                load.ShiftBaseline(default(LoadVector) - ended.Contribution);
            }
            else if (continuesRise)
            {
                load.ContinueRise(step);
            }
            else
            {
                load.ShiftBaseline(step.Delta);
            }
        }

        if (!continuesRise && step.Delta.PowerW >= _options.CandidateMinW)
        {
            Track(step, before, tier);
        }

        if (ended is not null && rising is null && RestOf(ended, step, heldRestAllAlong: split) is { } rest)
        {
            Track(rest, _steps.Level - rest.Delta, tier);
        }

        _lastStepSettledAt = step.SettledAt;
    }

    private void Track(in Step step, in LoadVector baseline, MeterTier tier)
    {
        // The settled flicker is compared with the household's over the minute before or since its last step,
        // whichever is more: a minute that straddles a step may mix two households (a 3 kW water heater switched
        // on 25 s before makes the total noisier), and a few seconds since a step are too few to measure it.
        var (jitterW, sinceLastStepW, driftWPerMinute, slowW) = JitterBefore(step.PreviousAt, since: _lastStepSettledAt);
        var load = new TrackedLoad(step, baseline, tier, jitterW)
        {
            BaselineDriftWPerMinute = driftWPerMinute,
            HouseholdFlickerW = double.IsNaN(sinceLastStepW) ? jitterW : Math.Max(sinceLastStepW, jitterW),
            HouseholdSlowFlickerW = slowW,
        };
        if (step.Delta.PowerW > _options.CandidateMaxW)
        {
            // Followed so that its switch-off is recognised, never classified.
            load.NextCheckpoint = Checkpoints.Length;
        }

        _loads.Add(load);
        if (_loads.Count > MaxTrackedLoads)
        {
            var oldest = _loads.FindIndex(l => l.Session is null);
            _loads.RemoveAt(oldest >= 0 ? oldest : 0);
        }
    }

    /// <summary>
    /// What a switch-off that ended <paramref name="ended"/> left of it, when that is a load of its own: a step
    /// that merged two loads. Either the switch-off's first reading went further down than where it settled (a load
    /// switched on while the other switched off: a charger plugged in as a kettle goes off), and the rest came on
    /// with the switch-off; or the ended load was young (two loads switched on within a second or two and were
    /// one step, a rice cooker and a charger), and the rest came on with it; or (with the options
    /// <see cref="ChargingDetectorOptions.RestOfOlderMergedLoad"/> or <see cref="ChargingDetectorOptions.SplitMergedLoadAtUnmatchedSwitchOff"/>)
    /// the ended load is older but drew the rest all along (an air conditioner's compressor and a charger;
    /// <paramref name="heldRestAllAlong"/>: already found so, since its soft start, by <see cref="MergedLoadHolding"/>),
    /// and the rest is followed from the switch-off. Null otherwise: an older load's switch-off that does not match its
    /// contribution exactly is the other loads' drift, not a load.
    /// </summary>
    private Step? RestOf(TrackedLoad ended, in Step step, bool heldRestAllAlong)
    {
        var rest = ended.Contribution + step.Delta;
        if (rest.PowerW < Math.Max(_options.CandidateMinW, RestMinW))
        {
            return null;
        }

        if (step.FirstPowerW <= step.Delta.PowerW - (rest.PowerW / 2))
        {
            return new Step(step.At, step.PreviousAt, rest, rest.PowerW, step.SettledAt);
        }

        if ((step.At - ended.Start).TotalSeconds <= RestOfYoungLoadSeconds)
        {
            return new Step(ended.Start, ended.PreviousAt, rest, rest.PowerW, step.SettledAt);
        }

        // An older load's rest is a load only if the load drew it all along: the other loads' drift builds up after a
        // switch-on, so a rest that is drift was not in the load's contribution when it was lower. Its checkpoints start
        // at the switch-off, where its own readings do.
        return heldRestAllAlong || (_options.RestOfOlderMergedLoad && DrewRestAllAlong(ended.MinPowerW, step, rest.PowerW))
            ? new Step(step.At, step.PreviousAt, rest, rest.PowerW, step.SettledAt)
            : null;
    }

    private void Remember(DateTimeOffset at, double powerW)
    {
        var index = _recentCount % RecentCapacity;
        _recentSeconds[index] = (at - DateTimeOffset.UnixEpoch).TotalSeconds;
        _recentPowers[index] = powerW;
        _recentCount++;
    }

    /// <summary>
    /// The RMS change from reading to reading of the total in the <see cref="BaselineJitterSeconds"/> up to
    /// <paramref name="until"/>, and the same over the part of them not before <paramref name="since"/>, leaving out
    /// changes as large as a step; NaN with fewer than two changes. Also the drift of the loads already on (W per minute;
    /// a compressor settling after its start), which goes on in a new load's contribution: the least-squares slope of
    /// the total with the steps taken out, leaving out the last <see cref="DriftGuardSeconds"/>; NaN with fewer than
    /// three readings.
    /// </summary>
    private (double JitterW, double JitterSinceW, double DriftWPerMinute, double SlowW) JitterBefore(DateTimeOffset until, DateTimeOffset since)
    {
        var end = (until - DateTimeOffset.UnixEpoch).TotalSeconds;
        var start = end - BaselineJitterSeconds;
        var sinceSeconds = (since - DateTimeOffset.UnixEpoch).TotalSeconds;
        double squares = 0, squaresSince = 0;
        int changes = 0, changesSince = 0;

        // The slow flicker's changes over TrackedLoad.SlowLagReadings readings: sums of that many successive changes, none a step.
        double lagSquares = 0, laterChange = 0, latestChange = 0;
        int lagChanges = 0, run = 0;

        // The drift's line, through each reading's level relative to the latest one fitted (steps taken out).
        var level = 0.0;
        var drift = default(LineSums);
        var oldest = Math.Max(0, _recentCount - RecentCapacity);
        for (var k = _recentCount - 1; k > oldest; k--)
        {
            var i = k % RecentCapacity;
            var previous = (k - 1) % RecentCapacity;
            if (_recentSeconds[i] > end)
            {
                continue;
            }

            if (_recentSeconds[previous] < start)
            {
                break;
            }

            var change = _recentPowers[i] - _recentPowers[previous];
            var step = Math.Abs(change) >= _options.MinStepW;
            if (_recentSeconds[i] <= end - DriftGuardSeconds)
            {
                if (drift.N == 0)
                {
                    drift.Add(_recentSeconds[i] - end, level);
                }

                level -= step ? 0 : change;
                drift.Add(_recentSeconds[previous] - end, level);
            }

            if (step)
            {
                // A load switching, not flicker.
                run = 0;
                continue;
            }

            squares += change * change;
            changes++;
            run++;
            if (run >= TrackedLoad.SlowLagReadings)
            {
                var lagChange = change + laterChange + latestChange;
                lagSquares += lagChange * lagChange;
                lagChanges++;
            }

            latestChange = laterChange;
            laterChange = change;
            if (_recentSeconds[previous] >= sinceSeconds)
            {
                squaresSince += change * change;
                changesSince++;
            }
        }

        var driftWPerMinute = drift.N >= 3 && drift.Denominator > 0 ? drift.Slope * 60 : double.NaN;
        var slowW = changes < 2 || lagChanges < 2 ? double.NaN : Math.Sqrt(Math.Max(0, (lagSquares / lagChanges) - (squares / changes)));
        return (Rms(squares, changes), Rms(squaresSince, changesSince), driftWPerMinute, slowW);

        static double Rms(double squares, int changes) => changes < 2 ? double.NaN : Math.Sqrt(squares / changes);
    }

    /// <summary>
    /// The load a switch-off that matches no load came on inside of (<see cref="ChargingDetectorOptions.SplitMergedLoadAtUnmatchedSwitchOff"/>):
    /// of the unconfirmed loads at most <see cref="MaxSplitAgeSeconds"/> old that drew the switch-off's drop and a rest
    /// of at least 30 W all along (at their lowest since their soft start: the merged step may have been taken while a
    /// charger was still ramping), the one the switch-off leaves least of; null if none.
    /// </summary>
    private TrackedLoad? MergedLoadHolding(in Step step)
    {
        TrackedLoad? best = null;
        foreach (var load in _loads)
        {
            var restW = load.Contribution.PowerW + step.Delta.PowerW;
            if (load.Session is null && (step.At - load.Start).TotalSeconds <= MaxSplitAgeSeconds
                && restW >= Math.Max(_options.CandidateMinW, RestMinW) && DrewRestAllAlong(load.SettledMinPowerW, step, restW)
                && (best is null || load.Contribution.PowerW < best.Contribution.PowerW))
            {
                best = load;
            }
        }

        return best;
    }

    /// <summary>The load's contribution at its lowest (<paramref name="lowestW"/>) held the switch-off's drop and most of the rest: the rest is not drift built up since.</summary>
    private static bool DrewRestAllAlong(double lowestW, in Step step, double restW) =>
        lowestW + step.Delta.PowerW >= RestDrawnAllAlongShare * restW;

    /// <summary>
    /// With <see cref="ChargingDetectorOptions.SplitMergedLoadAtUnmatchedSwitchOff"/>, a load whose contribution since its
    /// soft start was at its lowest under half the drop never drew what switched off: its contribution is the other
    /// loads' drift (a load tracked an hour before at a few watts, its contribution grown to the drop's size).
    /// </summary>
    private bool CouldHaveDrawn(TrackedLoad load, double dropW) =>
        !_options.SplitMergedLoadAtUnmatchedSwitchOff || double.IsNaN(load.SettledMinPowerW) || load.SettledMinPowerW >= -dropW / 2;

    private TrackedLoad? MatchSwitchOff(double dropW)
    {
        TrackedLoad? best = null;
        var bestError = double.MaxValue;
        foreach (var load in _loads)
        {
            var error = Math.Abs(load.Contribution.PowerW + dropW);
            if (error < bestError && error <= Math.Max(OffMatchMinW, OffMatchShare * load.Contribution.PowerW) && CouldHaveDrawn(load, dropW))
            {
                best = load;
                bestError = error;
            }
        }

        return best;
    }

    /// <summary>Classifies an unconfirmed load at its checkpoints; false when it is to be forgotten.</summary>
    private bool Classify(TrackedLoad load, DateTimeOffset at)
    {
        var age = (at - load.Start).TotalSeconds;
        if (load.Contribution.PowerW < _options.MinStepW / 2)
        {
            // Gone without a step we could match (it faded, or its switch-off hid in another change).
            load.LowSince ??= at;
            if ((at - load.LowSince.Value).TotalSeconds >= _options.EndHoldSeconds)
            {
                return false;
            }
        }
        else
        {
            load.LowSince = null;
        }

        if (load.NextCheckpoint >= Checkpoints.Length || age < Checkpoints[load.NextCheckpoint])
        {
            return true;
        }

        while (load.NextCheckpoint < Checkpoints.Length && age >= Checkpoints[load.NextCheckpoint])
        {
            load.NextCheckpoint++;
        }

        Fingerprint.Compute(load, at, _fingerprint);
        var curve = LoadCurve.Of(load);
        var settledFlicker = load.SettledFlickerRatio;
        var slowFlicker = load.SlowFlickerRatio;
        var probability = _classifier.Probability(new Candidate(Meter, load.Start, load.PreviousAt, load.Tier, curve, settledFlicker, slowFlicker), _fingerprint);
        if (load.Evidence.Add(_options, load.Tier, age, probability, CheckpointEvidence.Of(_fingerprint, curve, settledFlicker) with { SlowFlickerRatio = slowFlicker }))
        {
            load.Session = new SessionState(at, load.Evidence.Confidence) { PeakW = load.RecentPowerW(at, 30) };
            _events.Add(new ChargingEvent(ChargingEventKind.Started, at, Snapshot(load, at, endedAt: null)));
        }
        else if (load.NextCheckpoint >= Checkpoints.Length)
        {
            load.ForgetHistory();
        }

        return true;
    }

    /// <summary>Follows a confirmed session: stage, end, unusually long. False when it ended.</summary>
    private bool FollowSession(TrackedLoad load, DateTimeOffset at)
    {
        var session = load.Session!;
        var power = load.RecentPowerW(at, 30);
        session.PeakW = Math.Max(session.PeakW, power);
        var stage = session.Stage;
        if (stage == ChargingStage.Bulk && power < 0.9 * session.PeakW)
        {
            stage = ChargingStage.Absorption;
        }

        if (stage != ChargingStage.Float && power < 0.2 * session.PeakW)
        {
            stage = ChargingStage.Float;
        }

        if (stage != session.Stage)
        {
            session.Stage = stage;
            _events.Add(new ChargingEvent(ChargingEventKind.StageChanged, at, Snapshot(load, at, endedAt: null)));
        }

        if (power < Math.Max(_options.EndPowerW, 0.015 * session.PeakW))
        {
            load.LowSince ??= at;
            if ((at - load.LowSince.Value).TotalSeconds >= _options.EndHoldSeconds)
            {
                End(load, load.LowSince.Value);
                return false;
            }
        }
        else
        {
            load.LowSince = null;
        }

        if (!session.ReportedUnusuallyLong && (at - load.Start).TotalHours >= _options.UnusuallyLongHours)
        {
            session.ReportedUnusuallyLong = true;
            _events.Add(new ChargingEvent(ChargingEventKind.UnusuallyLong, at, Snapshot(load, at, endedAt: null)));
        }

        return true;
    }

    private void End(TrackedLoad load, DateTimeOffset at)
    {
        if (load.Session is not null)
        {
            _events.Add(new ChargingEvent(ChargingEventKind.Ended, at, Snapshot(load, at, endedAt: at)));
        }
    }

    private ChargingSession Snapshot(TrackedLoad load, DateTimeOffset at, DateTimeOffset? endedAt)
    {
        var session = load.Session!;
        return new ChargingSession(Meter, load.Start, session.DetectedAt, session.Confidence, load.Tier,
            load.InitialDelta.PowerW, session.Stage, load.RecentPowerW(at, 30), load.EnergyWh, endedAt);
    }
}
