namespace EdgeSafety.Analytics.Charging;

/// <summary>
/// A load seen switching on in the household total, followed while it stays on. Its contribution is the total
/// minus its baseline (the total just before it came on), and the baseline moves by every other load's step, so
/// the contribution stays its own while other appliances come and go. The recent history of its power (a ring of
/// the last few minutes) gives the stability and slope features.
/// </summary>
internal sealed class TrackedLoad
{
    private const int HistoryCapacity = 512;

    /// <summary>
    /// The settled flicker leaves out readings earlier than this after the switch-on's first changed reading: a
    /// charger's soft start (1 to 6 s in the simulated ones) ramps its power by more than its flicker.
    /// </summary>
    private const double SoftStartSeconds = 6;

    /// <summary>Changes from reading to reading needed before the settled flicker is measured (and a window is kept).</summary>
    private const int MinSettledChanges = 3;

    /// <summary>
    /// The lag (in readings) of the slow flicker's changes (<see cref="SlowFlickerRatio"/>): at 1-2 s sampling, 3 to 6 s,
    /// the time a TV's picture or a PC's work takes to move its power, while a meter's noise is as large from one
    /// reading to the next as over any lag.
    /// </summary>
    internal const int SlowLagReadings = 3;

    private double[]? _times = new double[HistoryCapacity];
    private double[]? _powers = new double[HistoryCapacity];
    private int _historyStart;
    private int _historyCount;
    private int _intervals;
    private double _intervalSum;
    private DateTimeOffset _lastAt;
    private double _settledLastPowerW = double.NaN;
    private double _settledSquares;
    private double _settledPowerSum;
    private int _settledChanges;
    private double _settledLastChangeSquare;
    private double _settledLastChangePowerW;
    private bool _settledFrozen;
    private readonly double[] _settledLastPowersW = new double[SlowLagReadings];
    private int _settledReadings;
    private double _settledLagSquares;
    private int _settledLagChanges;
    private double _settledLastLagSquare = double.NaN;

    public TrackedLoad(in Step step, in LoadVector baseline, MeterTier tier, double baselineJitterW)
    {
        Start = step.At;
        BaselineJitterW = baselineJitterW;
        PreviousAt = step.PreviousAt;
        Baseline = baseline;
        InitialDelta = step.Delta;
        InrushW = step.FirstPowerW;
        StillRising = !step.Settled;
        RiseTakenAt = step.SettledAt;
        Tier = tier;
        Contribution = step.Delta;
        MinPowerW = MaxPowerW = step.Delta.PowerW;
        _lastAt = step.SettledAt;
        Record(step.SettledAt, step.Delta.PowerW);
    }

    public DateTimeOffset Start { get; }

    /// <summary>The switch-on was taken while the power was still moving: the rest of its rise may come in a later step.</summary>
    public bool StillRising { get; private set; }

    /// <summary>The reading at which the switch-on's rise was last taken.</summary>
    public DateTimeOffset RiseTakenAt { get; private set; }

    /// <summary>The rest of a rise the step detector cut short came as the next step: it is this load's, not a new one.</summary>
    public void ContinueRise(in Step step)
    {
        StillRising = !step.Settled;
        RiseTakenAt = step.SettledAt;

        // The window measured so far was part of the rise.
        StartSettledWindow();
    }

    /// <summary>The reading before the switch-on: the load came on between it and <see cref="Start"/>.</summary>
    public DateTimeOffset PreviousAt { get; }

    public LoadVector Baseline { get; private set; }

    public LoadVector InitialDelta { get; }

    public double InrushW { get; }

    /// <summary>
    /// How much the household total flickered before the load came on (RMS change from reading to reading, W): the
    /// loads already on keep flickering in this load's contribution, so its own flicker is what exceeds this.
    /// </summary>
    public double BaselineJitterW { get; }

    /// <summary>How fast the household total drifted before the load came on, steps left out (W per minute): it goes on in the contribution.</summary>
    public double BaselineDriftWPerMinute { get; init; } = double.NaN;

    /// <summary>
    /// The larger of <see cref="BaselineJitterW"/> and the same since the household's last step before this switch-on:
    /// what <see cref="SettledFlickerRatio"/> takes as the others' flicker, since a minute that straddles a step mixes
    /// two households (a 3 kW heater makes the meter's total noisier), and a few seconds since a step measure little.
    /// </summary>
    public double HouseholdFlickerW { get; init; } = double.NaN;

    /// <summary>The lowest tier of the readings it was seen with: features above it are blank.</summary>
    public MeterTier Tier { get; private set; }

    public LoadVector Contribution { get; private set; }

    public double MinPowerW { get; private set; }

    public double MaxPowerW { get; private set; }

    /// <summary>The lowest contribution from <see cref="SoftStartSeconds"/> after the switch-on (past a charger's soft start); NaN before.</summary>
    public double SettledMinPowerW { get; private set; } = double.NaN;

    public double EnergyWh { get; private set; }

    public double MeanIntervalSeconds => _intervals == 0 ? double.NaN : _intervalSum / _intervals;

    public DateTimeOffset LastAt => _lastAt;

    /// <summary>The next classification checkpoint (index into the detector's checkpoint ages).</summary>
    public int NextCheckpoint { get; set; }

    /// <summary>What its checkpoints have said so far, towards confirming it as charging.</summary>
    public ConfirmationEvidence Evidence { get; } = new();

    /// <summary>The confirmed charging session, once there is one.</summary>
    public SessionState? Session { get; set; }

    /// <summary>Since when the contribution has been below the end threshold (null while above it).</summary>
    public DateTimeOffset? LowSince { get; set; }

    /// <summary>
    /// How much the load flickers once settled: its RMS change from reading to reading beyond the household's flicker
    /// (<see cref="HouseholdFlickerW"/>), over its mean power; NaN until <see cref="MinSettledChanges"/> changes are
    /// measured. Unlike the fingerprint's <c>own_jitter_ratio</c> (the last 30 s) it leaves out the switch-on and its
    /// soft start, and it is measured only until the household's next step: a TV switched on after a charger flickers in
    /// the charger's contribution too, but not in its window. A window cut short by a step before it had enough changes
    /// is started again after the step. The confirmation rule reads it
    /// (<see cref="ChargingDetectorOptions.MaxSettledFlickerRatio"/>); the models do not.
    /// </summary>
    public double SettledFlickerRatio
    {
        get
        {
            if (_settledChanges < MinSettledChanges)
            {
                return double.NaN;
            }

            var meanW = _settledPowerSum / _settledChanges;
            var household = double.IsNaN(HouseholdFlickerW) ? 0 : HouseholdFlickerW;
            var beyondW = Math.Sqrt(Math.Max(0, (_settledSquares / _settledChanges) - (household * household)));
            return Math.Abs(meanW) < 1 ? double.NaN : Math.Min(ChargingDetectorOptions.FlickerCheckOff, beyondW / Math.Abs(meanW));
        }
    }

    /// <summary>
    /// The household's slow flicker before the switch-on (W): the square root of its mean square change over
    /// <see cref="SlowLagReadings"/> readings less that from one reading to the next (what a TV or PC already on adds;
    /// the meter's noise cancels), which goes on in this load's contribution. NaN when not measured (taken as none).
    /// </summary>
    public double HouseholdSlowFlickerW { get; init; } = double.NaN;

    /// <summary>
    /// How much the load's power wanders over seconds once settled, in the window of <see cref="SettledFlickerRatio"/>:
    /// the mean square change over <see cref="SlowLagReadings"/> readings less the mean square change from one reading
    /// to the next, less the household's same measure before the switch-on (<see cref="HouseholdSlowFlickerW"/>), its
    /// square root over the mean power. Independent fluctuations add in variance, and white noise (a meter's) changes
    /// as much from one reading to the next as over any lag, so it cancels however noisy the household: what is left is
    /// a smooth wander like a TV's picture or a PC's work (a few % over seconds), which a charger's regulated output
    /// does not have. NaN until <see cref="MinSettledChanges"/> changes over the lag are measured.
    /// </summary>
    public double SlowFlickerRatio
    {
        get
        {
            if (_settledLagChanges < MinSettledChanges || _settledChanges < MinSettledChanges)
            {
                return double.NaN;
            }

            var meanW = _settledPowerSum / _settledChanges;
            var household = double.IsNaN(HouseholdSlowFlickerW) ? 0 : HouseholdSlowFlickerW;
            var slowSquareW = (_settledLagSquares / _settledLagChanges) - (_settledSquares / _settledChanges) - (household * household);
            return Math.Abs(meanW) < 1 ? double.NaN : Math.Min(ChargingDetectorOptions.FlickerCheckOff, Math.Sqrt(Math.Max(0, slowSquareW)) / Math.Abs(meanW));
        }
    }

    /// <summary>Another load stepped in the household total: moves the baseline, and ends the settled flicker's window.</summary>
    public void ShiftBaseline(in LoadVector delta)
    {
        Baseline += delta;
        if (_settledFrozen)
        {
            return;
        }

        // The window ends a change before the step: a step is taken only once the change passes the threshold (up to
        // 1.5 % of the total: 45 W in a 3 kW household), so the reading before it may already show part of it.
        if (_settledChanges > MinSettledChanges)
        {
            _settledSquares -= _settledLastChangeSquare;
            _settledPowerSum -= _settledLastChangePowerW;
            _settledChanges--;
            if (!double.IsNaN(_settledLastLagSquare))
            {
                _settledLagSquares -= _settledLastLagSquare;
                _settledLagChanges--;
            }

            _settledFrozen = true;
        }
        else
        {
            // Too short to keep; the step's own change is not flicker, and the estimate of it is only as good as the step's.
            StartSettledWindow();
        }
    }

    public void Observe(DateTimeOffset at, in LoadVector reading, MeterTier tier)
    {
        if (at <= _lastAt)
        {
            return;
        }

        var previousPower = Contribution.PowerW;
        Contribution = reading - Baseline;
        if (tier < Tier)
        {
            Tier = tier;
        }

        var seconds = (at - _lastAt).TotalSeconds;
        if (seconds > 0)
        {
            EnergyWh += (previousPower + Contribution.PowerW) / 2 * seconds / 3600;
            _intervalSum += seconds;
            _intervals++;
        }

        _lastAt = at;
        MinPowerW = Math.Min(MinPowerW, Contribution.PowerW);
        MaxPowerW = Math.Max(MaxPowerW, Contribution.PowerW);
        if ((at - Start).TotalSeconds >= SoftStartSeconds)
        {
            SettledMinPowerW = double.IsNaN(SettledMinPowerW) ? Contribution.PowerW : Math.Min(SettledMinPowerW, Contribution.PowerW);
        }
        Record(at, Contribution.PowerW);
        MeasureSettled(at, Contribution.PowerW);
    }

    /// <summary>Frees the history once the load is neither classified nor a session any more.</summary>
    public void ForgetHistory()
    {
        _times = null;
        _powers = null;
        _historyCount = 0;
    }

    /// <summary>The mean power over the last <paramref name="seconds"/> (at least the latest reading).</summary>
    public double RecentPowerW(DateTimeOffset now, double seconds)
    {
        var (sum, _, count) = Sums(now, seconds);
        return count == 0 ? Contribution.PowerW : sum / count;
    }

    /// <summary>Standard deviation over mean of the power in the last <paramref name="seconds"/>; NaN with fewer than three readings.</summary>
    public double Variation(DateTimeOffset now, double seconds)
    {
        var (sum, squares, count) = Sums(now, seconds);
        if (count < 3)
        {
            return double.NaN;
        }

        var mean = sum / count;
        var variance = Math.Max(0, (squares / count) - (mean * mean));
        return Math.Abs(mean) < 1 ? double.NaN : Math.Sqrt(variance) / Math.Abs(mean);
    }

    /// <summary>
    /// The root mean square of the change from one reading to the next over the last <paramref name="seconds"/> (W),
    /// and the mean power; NaN with fewer than three readings. Unlike <see cref="Variation"/> a slow trend hardly
    /// moves it: it measures flicker (a TV's picture, a PC's work), which a charger's regulated output does not have.
    /// </summary>
    public (double RmsW, double MeanW) JitterW(DateTimeOffset now, double seconds)
    {
        if (_times is null || _powers is null)
        {
            return (double.NaN, double.NaN);
        }

        var from = (now - Start).TotalSeconds - seconds;
        double sum = 0, squares = 0;
        var count = 0;
        for (var k = _historyCount - 1; k >= 1; k--)
        {
            var i = (_historyStart + k) % HistoryCapacity;
            if (_times[i] < from)
            {
                break;
            }

            var change = _powers[i] - _powers[(_historyStart + k - 1) % HistoryCapacity];
            sum += _powers[i];
            squares += change * change;
            count++;
        }

        return count < 2 ? (double.NaN, double.NaN) : (Math.Sqrt(squares / count), sum / count);
    }

    /// <summary>
    /// The least-squares line through the power over the last <paramref name="seconds"/>: its slope in % of the mean
    /// per minute, and the standard deviation around it over the mean (what is left once a charger's slow trend is
    /// taken out: next to nothing for a regulated output, a picture's or a PC's work for the others).
    /// </summary>
    public (double SlopePercentPerMinute, double Residual) Trend(DateTimeOffset now, double seconds)
    {
        var age = (now - Start).TotalSeconds;
        var (line, first, last) = FitSums(age - seconds);
        var (n, st, sp, stp, spp) = (line.N, line.St, line.Sy, line.Sty, line.Syy);
        if (n < 3 || last - first < 5 || line.Denominator <= 0 || Math.Abs(sp / n) < 1)
        {
            return (double.NaN, double.NaN);
        }

        var slope = line.Slope;
        var mean = Math.Abs(sp / n);

        // Residual sum of squares of the fit: Spp - Sp²/n - slope · (Stp - St·Sp/n), centred sums.
        var residual = (spp - (sp * sp / n)) - (slope * (stp - (st * sp / n)));
        return (slope * 60 / mean * 100, Math.Sqrt(Math.Max(0, residual) / n) / mean);
    }

    /// <summary>
    /// The least-squares line through the power from <paramref name="fromAge"/> seconds after the switch-on to now:
    /// the mean power (W), the slope (W per minute) and the slope's standard error (W per minute, from the scatter
    /// around the line); NaN with fewer than three readings over less than 5 s. The confirmation rule's curve check
    /// reads it (<see cref="LoadCurve"/>): a charger in constant voltage tapers, a lamp does not.
    /// </summary>
    public (double MeanW, double SlopeWPerMinute, double StandardErrorWPerMinute) SettledSlope(double fromAge)
    {
        var (line, first, last) = FitSums(fromAge);
        var n = line.N;
        var centredStt = line.Stt - (line.St * line.St / n);
        if (n < 3 || last - first < 5 || centredStt <= 0)
        {
            return (double.NaN, double.NaN, double.NaN);
        }

        var centredStp = line.Sty - (line.St * line.Sy / n);
        var slope = centredStp / centredStt;
        var residual = Math.Max(0, line.Syy - (line.Sy * line.Sy / n) - (slope * centredStp));
        var standardError = Math.Sqrt(residual / (n - 2) / centredStt);
        return (line.Sy / n, slope * 60, standardError * 60);
    }

    /// <summary>The sums of a least-squares line through the history from <paramref name="fromAge"/> on (time in seconds since the switch-on), and the first and last time in it.</summary>
    private (LineSums Line, double First, double Last) FitSums(double fromAge)
    {
        var line = default(LineSums);
        double first = double.NaN, last = double.NaN;
        if (_times is null || _powers is null)
        {
            return (line, first, last);
        }

        for (var k = 0; k < _historyCount; k++)
        {
            var i = (_historyStart + k) % HistoryCapacity;
            var t = _times[i];
            if (t < fromAge)
            {
                continue;
            }

            first = double.IsNaN(first) ? t : first;
            last = t;
            line.Add(t, _powers[i]);
        }

        return (line, first, last);
    }

    private (double Sum, double Squares, int Count) Sums(DateTimeOffset now, double seconds)
    {
        if (_times is null || _powers is null)
        {
            return (0, 0, 0);
        }

        var from = (now - Start).TotalSeconds - seconds;
        double sum = 0, squares = 0;
        var count = 0;
        for (var k = _historyCount - 1; k >= 0; k--)
        {
            var i = (_historyStart + k) % HistoryCapacity;
            if (_times[i] < from)
            {
                break;
            }

            sum += _powers[i];
            squares += _powers[i] * _powers[i];
            count++;
        }

        return (sum, squares, count);
    }

    private void StartSettledWindow()
    {
        _settledLastPowerW = double.NaN;
        _settledSquares = 0;
        _settledPowerSum = 0;
        _settledChanges = 0;
        _settledReadings = 0;
        _settledLagSquares = 0;
        _settledLagChanges = 0;
        _settledLastLagSquare = double.NaN;
    }

    private void MeasureSettled(DateTimeOffset at, double powerW)
    {
        if (_settledFrozen || (at - Start).TotalSeconds < SoftStartSeconds)
        {
            return;
        }

        if (!double.IsNaN(_settledLastPowerW))
        {
            var change = powerW - _settledLastPowerW;
            _settledLastChangeSquare = change * change;
            _settledLastChangePowerW = powerW;
            _settledSquares += _settledLastChangeSquare;
            _settledPowerSum += powerW;
            _settledChanges++;
        }

        // The reading SlowLagReadings back sits where this one is about to be written in the ring.
        var slot = _settledReadings % SlowLagReadings;
        if (_settledReadings >= SlowLagReadings)
        {
            var lagChange = powerW - _settledLastPowersW[slot];
            _settledLastLagSquare = lagChange * lagChange;
            _settledLagSquares += _settledLastLagSquare;
            _settledLagChanges++;
        }
        else
        {
            _settledLastLagSquare = double.NaN;
        }

        _settledLastPowersW[slot] = powerW;
        _settledReadings++;
        _settledLastPowerW = powerW;
    }

    private void Record(DateTimeOffset at, double power)
    {
        if (_times is null || _powers is null)
        {
            return;
        }

        var index = (_historyStart + _historyCount) % HistoryCapacity;
        if (_historyCount == HistoryCapacity)
        {
            _historyStart = (_historyStart + 1) % HistoryCapacity;
        }
        else
        {
            _historyCount++;
        }

        _times[index] = (at - Start).TotalSeconds;
        _powers[index] = power;
    }
}

/// <summary>The mutable state of a confirmed charging session, owned by its tracked load.</summary>
internal sealed class SessionState(DateTimeOffset detectedAt, double confidence)
{
    public DateTimeOffset DetectedAt { get; } = detectedAt;

    public double Confidence { get; } = confidence;

    public ChargingStage Stage { get; set; } = ChargingStage.Bulk;

    /// <summary>The highest half-minute mean power so far: stages are read against it.</summary>
    public double PeakW { get; set; }

    public bool ReportedUnusuallyLong { get; set; }
}
