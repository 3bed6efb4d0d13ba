namespace EdgeSafety.Analytics.Noise;

/// <summary>Which limit a stretch of time is judged against.</summary>
public enum NoisePeriod
{
    Day,
    Night,

    /// <summary>Quiet hours a site or preset adds (a midday rest, say), with their own, stricter limit.</summary>
    Quiet,
}

/// <summary>
/// A site's local clock: its time zone and where day and night begin. GB 3096-2008 sets day 06:00-22:00 and night
/// 22:00-06:00 local time; local governments may move them, so both are settings.
/// </summary>
public sealed record NoiseCalendar(TimeZoneInfo Zone, TimeOnly DayStart, TimeOnly NightStart)
{
    /// <summary>The standard's periods in China's time zone.</summary>
    public static NoiseCalendar China { get; } = new(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"), new TimeOnly(6, 0), new TimeOnly(22, 0));

    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    public TimeOnly LocalTimeOfDay(DateTimeOffset instant) => TimeOnly.FromDateTime(ToLocal(instant).DateTime);

    public bool IsNight(TimeOnly localTime) => !localTime.IsBetween(DayStart, NightStart);

    public bool IsNight(DateTimeOffset instant) => IsNight(LocalTimeOfDay(instant));

    /// <summary>
    /// The day or night period holding the instant, from its local start to its local end (a night runs from one
    /// date's NightStart to the next date's DayStart).
    /// </summary>
    public (DateTimeOffset Start, DateTimeOffset End, NoisePeriod Period) PeriodAround(DateTimeOffset instant)
    {
        var local = ToLocal(instant).DateTime;
        var date = DateOnly.FromDateTime(local);
        var time = TimeOnly.FromDateTime(local);
        if (!IsNight(time))
        {
            return (Instant(date, DayStart), Instant(date, NightStart), NoisePeriod.Day);
        }

        var nightDate = time >= NightStart ? date : date.AddDays(-1);
        return (Instant(nightDate, NightStart), Instant(nightDate.AddDays(1), DayStart), NoisePeriod.Night);
    }

    /// <summary>
    /// The fixed-length window holding the instant, aligned to the local clock (a 5-minute window starts at a local
    /// minute divisible by 5). Lengths divide an hour, so windows stay aligned across whole-hour clock changes.
    /// </summary>
    public (DateTimeOffset Start, DateTimeOffset End) WindowAround(DateTimeOffset instant, TimeSpan length)
    {
        var offset = Zone.GetUtcOffset(instant).Ticks;
        var local = instant.UtcTicks + offset;
        var start = new DateTimeOffset(local - (local % length.Ticks) - offset, TimeSpan.Zero);
        return (start, start + length);
    }

    private DateTimeOffset Instant(DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
