namespace EdgeSafety.Analytics.Noise;

/// <summary>Why a sample was not taken.</summary>
public enum SampleRejection
{
    None,

    /// <summary>Not later than the sensor's previous sample (a repeat, or out of order).</summary>
    NotAfterPrevious,

    /// <summary>Not a sound level (negative, or beyond what air carries).</summary>
    Implausible,

    /// <summary>
    /// Before 1970 or after 9998: no sensor's clock reads that, and the local days and windows around such an instant
    /// would fall outside the range of <see cref="DateTimeOffset"/>.
    /// </summary>
    OutOfRange,
}

/// <summary>
/// The noise rules for one sensor, fed its samples in time order: windows (LAeq, Lmax) as they close, the exceedance
/// rule with persistence and hysteresis, night bursts, and the escalation from on-site warnings to the wardens. Time
/// is the samples' own, so the same samples give the same outputs live, from a file, or in a test.
/// </summary>
/// <remarks>
/// A sample stands for the time from its timestamp until the next sample, capped at
/// <see cref="NoiseMonitorSettings.MaxSampleHold"/>; time beyond the cap is a dropout and counts in no window. A
/// sample's time is split exactly at window boundaries. A window closes once a sample at or after its end arrives (or
/// on <see cref="Flush"/>), so live a window's result appears with the first reading after it.
/// </remarks>
public sealed class SensorNoiseMonitor
{
    /// <summary>Levels outside this range are not sound levels (the loudest undistorted sound in air is about 194 dB).</summary>
    private const double LowestLevel = 0;
    private const double HighestLevel = 200;

    private NoiseMonitorSettings _settings;
    private readonly WindowSeries[] _series;
    private readonly WindowSeries _ruleSeries;

    private DateTimeOffset? _lastAt;
    private double _lastDb;
    private TimeSpan _lastHold;

    private DateTimeOffset? _previousRuleWindowEnd;
    private int _overStreak;
    private int _clearStreak;
    private DateTimeOffset? _episodeStart;
    private int _warnings;
    private bool _wardensAlerted;
    private DateTimeOffset? _firstWarningAt;
    private DateTimeOffset? _lastWarningAt;

    private bool _burstActive;
    private DateTimeOffset? _lastBurstWindow;

    public SensorNoiseMonitor(NoiseMonitorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(settings));
        }

        _settings = settings;
        var calendar = settings.Calendar;
        _series =
        [
            .. settings.WindowLengths.Order().Select(length => new WindowSeries(at =>
            {
                var (start, end) = calendar.WindowAround(at, length);
                var (limit, period) = _settings.LimitFor(start, end);
                return (NoiseWindow.NameOf(length), start, end, limit, period);
            })),
            new WindowSeries(at =>
            {
                var (start, end, period) = calendar.PeriodAround(at);
                return period == NoisePeriod.Day ? ("day", start, end, _settings.Limits.DayDb, period) : ("night", start, end, _settings.Limits.NightDb, period);
            }),
        ];
        _ruleSeries = _series[settings.WindowLengths.Order().ToList().IndexOf(settings.RuleWindow)];
    }

    private static readonly DateTimeOffset EarliestSample = DateTimeOffset.UnixEpoch;
    private static readonly DateTimeOffset LatestSample = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public NoiseMonitorSettings Settings => _settings;

    /// <summary>
    /// New limits (the sensor's zone class changed): windows that open from now on are judged by them; open windows
    /// keep the limit they opened with, and an exceedance under way goes on until the windows clear it.
    /// </summary>
    public void ChangeLimits(ZoneLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var changed = _settings with { Limits = limits };
        _settings = changed.Problem() is { } problem ? throw new ArgumentException(problem, nameof(limits)) : changed;
    }

    /// <summary>Takes the next sample; appends the windows it closes and the rule steps it causes to the output.</summary>
    public SampleRejection Add(DateTimeOffset at, double db, ICollection<NoiseOutput> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!(db is >= LowestLevel and < HighestLevel))
        {
            return SampleRejection.Implausible;
        }

        if (at < EarliestSample || at >= LatestSample)
        {
            return SampleRejection.OutOfRange;
        }

        if (_lastAt is { } lastAt)
        {
            if (at <= lastAt)
            {
                return SampleRejection.NotAfterPrevious;
            }

            _lastHold = Min(at - lastAt, _settings.MaxSampleHold);
            Spread(lastAt, _lastHold, _lastDb, output);
        }

        // Everything before this sample is known now: windows that ended are complete.
        foreach (var series in _series)
        {
            series.CloseIfEndedBy(at, window => Closed(series, window, output));
        }

        JudgeBurst(at, db, output);
        _lastAt = at;
        _lastDb = db;
        return SampleRejection.None;
    }

    /// <summary>
    /// End of the data (a file's last row): the last sample holds as long as the one before it did, and every open
    /// window closes, partly covered ones included.
    /// </summary>
    public void Flush(ICollection<NoiseOutput> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_lastAt is { } lastAt)
        {
            Spread(lastAt, _lastHold, _lastDb, output);
            _lastAt = null;
        }

        foreach (var series in _series)
        {
            series.Close(window => Closed(series, window, output));
        }
    }

    private void Spread(DateTimeOffset from, TimeSpan hold, double db, ICollection<NoiseOutput> output)
    {
        foreach (var series in _series)
        {
            series.Add(from, from + hold, db, window => Closed(series, window, output));
        }
    }

    private void Closed(WindowSeries series, NoiseWindow window, ICollection<NoiseOutput> output)
    {
        output.Add(window);
        if (series == _ruleSeries)
        {
            Judge(window, output);
        }
    }

    /// <summary>The exceedance rule and the escalation, once per closed rule window.</summary>
    private void Judge(NoiseWindow window, ICollection<NoiseOutput> output)
    {
        var consecutive = _previousRuleWindowEnd == window.Start;
        _previousRuleWindowEnd = window.End;
        var valid = window.Coverage >= _settings.MinimumCoverage && window.Laeq is not null;
        var laeq = window.Laeq ?? double.NegativeInfinity;
        var over = valid && laeq > window.LimitDb;

        if (_burstActive && valid && _lastBurstWindow < window.Start)
        {
            _burstActive = false;
            output.Add(new NoiseEvent(NoiseEventKind.NightBurstCleared, window.End, window.Lmax ?? laeq, _settings.Limits.NightDb, NoisePeriod.Night));
        }

        if (_episodeStart is null)
        {
            _overStreak = !over ? 0 : consecutive ? _overStreak + 1 : 1;
            if (_overStreak >= _settings.Persistence)
            {
                _episodeStart = window.End;
                _overStreak = 0;
                _clearStreak = 0;
                output.Add(Step(NoiseEventKind.Exceedance, window));
                Escalate(window, output);
            }

            return;
        }

        var quiet = valid && laeq <= window.LimitDb - _settings.ClearMarginDb;
        _clearStreak = !quiet ? 0 : consecutive ? _clearStreak + 1 : 1;
        if (_clearStreak >= _settings.ClearPersistence)
        {
            output.Add(Step(NoiseEventKind.ExceedanceCleared, window) with { WardensAlerted = _wardensAlerted });
            _episodeStart = null;
            _clearStreak = 0;
            _warnings = 0;
            _wardensAlerted = false;
            _firstWarningAt = null;
        }
        else if (over)
        {
            Escalate(window, output);
        }
    }

    /// <summary>
    /// While the exceedance persists: the first on-site warning as soon as the rate limit allows, then, once it has gone
    /// on <see cref="NoiseMonitorSettings.EscalateAfter"/> past the first, the second warning and the wardens' alert.
    /// </summary>
    private void Escalate(NoiseWindow window, ICollection<NoiseOutput> output)
    {
        var now = window.End;
        if (_lastWarningAt is { } last && now - last < _settings.WarningInterval)
        {
            return;
        }

        if (_warnings == 0)
        {
            Warn(window, output);
            _firstWarningAt = now;
        }
        else if (_warnings == 1 && now - _firstWarningAt >= _settings.EscalateAfter)
        {
            Warn(window, output);
            _wardensAlerted = true;
            output.Add(Step(NoiseEventKind.WardenAlert, window));
        }
    }

    private void Warn(NoiseWindow window, ICollection<NoiseOutput> output)
    {
        _warnings++;
        _lastWarningAt = window.End;
        output.Add(Step(NoiseEventKind.OnSiteWarning, window) with { WarningNumber = _warnings });
    }

    private NoiseEvent Step(NoiseEventKind kind, NoiseWindow window) =>
        new(kind, window.End, window.Laeq ?? double.NegativeInfinity, window.LimitDb, window.Period) { EpisodeStart = _episodeStart };

    /// <summary>GB 3096-2008 5.4: at night, a level more than the margin over the night limit; raised once until a rule window passes without one.</summary>
    private void JudgeBurst(DateTimeOffset at, double db, ICollection<NoiseOutput> output)
    {
        if (!_settings.Calendar.IsNight(at) || db <= _settings.Limits.NightDb + _settings.BurstMarginDb)
        {
            return;
        }

        _lastBurstWindow = _settings.Calendar.WindowAround(at, _settings.RuleWindow).Start;
        if (!_burstActive)
        {
            _burstActive = true;
            output.Add(new NoiseEvent(NoiseEventKind.NightBurst, at, db, _settings.Limits.NightDb, NoisePeriod.Night));
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>The open window of one length (or of the day/night periods), filled by held samples split at its boundaries.</summary>
    private sealed class WindowSeries(Func<DateTimeOffset, (string Name, DateTimeOffset Start, DateTimeOffset End, double LimitDb, NoisePeriod Period)> locate)
    {
        private (string Name, DateTimeOffset Start, DateTimeOffset End, double LimitDb, NoisePeriod Period) _window;
        private SoundExposure _exposure;
        private bool _open;

        /// <summary>Adds a level held from one instant to another; a zero-length hold still counts for Lmax.</summary>
        public void Add(DateTimeOffset from, DateTimeOffset to, double db, Action<NoiseWindow> closed)
        {
            do
            {
                if (!_open || from >= _window.End)
                {
                    Close(closed);
                    _window = locate(from);
                    _exposure = SoundExposure.Empty;
                    _open = true;
                }

                var until = to < _window.End ? to : _window.End;
                _exposure = _exposure.Plus(SoundExposure.Of(db, (until - from).TotalSeconds));
                from = until;
            }
            while (from < to);
        }

        public void CloseIfEndedBy(DateTimeOffset at, Action<NoiseWindow> closed)
        {
            if (_open && _window.End <= at)
            {
                Close(closed);
            }
        }

        public void Close(Action<NoiseWindow> closed)
        {
            if (_open)
            {
                _open = false;
                closed(new NoiseWindow(_window.Name, _window.Start, _window.End, _exposure, _window.LimitDb, _window.Period));
            }
        }
    }
}
