namespace EdgeSafety.Analytics.Noise;

/// <summary>Local hours with a stricter limit of their own (by default the night limit), such as a 12:00-14:00 rest.</summary>
public sealed record QuietHours(TimeOnly Start, TimeOnly End, double? LimitDb = null)
{
    public bool Contains(TimeOnly localTime) => localTime.IsBetween(Start, End);
}

/// <summary>
/// Everything the rules need for one sensor: where it is (its site's calendar and its limits), which windows to keep,
/// and the rule and escalation settings. Defaults are those of docs/noise.md.
/// </summary>
public sealed record NoiseMonitorSettings
{
    public required ZoneLimits Limits { get; init; }

    public NoiseCalendar Calendar { get; init; } = NoiseCalendar.China;

    public IReadOnlyList<QuietHours> QuietHours { get; init; } = [];

    /// <summary>Short windows kept, each dividing an hour; the day and night periods are always kept as well.</summary>
    public IReadOnlyList<TimeSpan> WindowLengths { get; init; } = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15)];

    /// <summary>The window whose LAeq the exceedance rule judges; one of <see cref="WindowLengths"/>.</summary>
    public TimeSpan RuleWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Consecutive rule windows over the limit before an exceedance is confirmed.</summary>
    public int Persistence { get; init; } = 2;

    /// <summary>An exceedance clears only when windows are this far below the limit (hysteresis)...</summary>
    public double ClearMarginDb { get; init; } = 3;

    /// <summary>...for this many consecutive rule windows.</summary>
    public int ClearPersistence { get; init; } = 2;

    /// <summary>GB 3096-2008 5.4: at night a level more than this above the night limit is a burst.</summary>
    public double BurstMarginDb { get; init; } = 15;

    /// <summary>At most one on-site warning per sensor in this time.</summary>
    public TimeSpan WarningInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>An exceedance still going this long after the first warning gets the second warning and the wardens' alert.</summary>
    public TimeSpan EscalateAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>A sample stands for the time until the next one, but never longer than this: a longer silence is a dropout.</summary>
    public TimeSpan MaxSampleHold { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A rule window covered less than this fraction (dropouts) neither confirms nor clears anything.</summary>
    public double MinimumCoverage { get; init; } = 0.75;

    /// <summary>
    /// Why these settings cannot work, or null. Checked when settings are read (ingest at start, the command line on
    /// its arguments), so that a monitor never meets them.
    /// </summary>
    public string? Problem()
    {
        if (WindowLengths.Count == 0 || WindowLengths.Any(l => l < TimeSpan.FromMinutes(1) || TimeSpan.FromHours(1).Ticks % l.Ticks != 0 || l.Ticks % TimeSpan.TicksPerMinute != 0))
        {
            return "window lengths must be whole minutes that divide an hour (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60)";
        }

        return !WindowLengths.Contains(RuleWindow) ? $"the rule window ({RuleWindow.TotalMinutes} min) must be one of the window lengths"
            : Persistence < 1 || ClearPersistence < 1 ? "persistence and clear persistence must be at least 1"
            : ClearMarginDb < 0 || BurstMarginDb < 0 ? "margins must not be negative"
            : MaxSampleHold <= TimeSpan.Zero ? "the longest sample hold must be positive"
            : MinimumCoverage is < 0 or > 1 ? "the minimum coverage is a fraction between 0 and 1"
            : WarningInterval < TimeSpan.Zero || EscalateAfter < TimeSpan.Zero ? "warning interval and escalation delay must not be negative"
            : Calendar.DayStart >= Calendar.NightStart ? "the day must start before the night on the same date (e.g. 06:00 and 22:00)"
            : null;
    }

    /// <summary>The limit of one instant's local time: day or night, unless quiet hours set a stricter one.</summary>
    public (double LimitDb, NoisePeriod Period) LimitAt(TimeOnly localTime)
    {
        var (limit, period) = Calendar.IsNight(localTime) ? (Limits.NightDb, NoisePeriod.Night) : (Limits.DayDb, NoisePeriod.Day);
        foreach (var quiet in QuietHours)
        {
            var quietLimit = quiet.LimitDb ?? Limits.NightDb;
            if (quiet.Contains(localTime) && quietLimit < limit)
            {
                (limit, period) = (quietLimit, NoisePeriod.Quiet);
            }
        }

        return (limit, period);
    }

    /// <summary>
    /// The limit of a short window: the strictest of any period it touches, so a window spanning 22:00 (possible when
    /// the night starts off the window grid) is judged as night, and a night disturbance is never averaged away.
    /// </summary>
    public (double LimitDb, NoisePeriod Period) LimitFor(DateTimeOffset start, DateTimeOffset end)
    {
        var from = Calendar.LocalTimeOfDay(start);
        var length = end - start;
        var strictest = LimitAt(from);
        IEnumerable<TimeOnly> boundaries = [Calendar.DayStart, Calendar.NightStart, .. QuietHours.Select(q => q.Start)];
        foreach (var boundary in boundaries)
        {
            var after = boundary - from;
            if (after > TimeSpan.Zero && after < length && LimitAt(boundary) is var candidate && candidate.LimitDb < strictest.LimitDb)
            {
                strictest = candidate;
            }
        }

        return strictest;
    }
}
