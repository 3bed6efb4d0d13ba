namespace EdgeSafety.Simulators.Noise;

/// <summary>
/// A reproducible noise situation: what it sounds like over time (its source), when it happens in local time, how long
/// the simulation runs (the activity and a quiet tail after it), and the GB 3096-2008 zone class of the place it
/// depicts. The same seed gives the same levels.
/// </summary>
public sealed record NoiseScenario(
    string Name,
    string Description,
    string Zone,
    TimeOnly LocalStart,
    TimeSpan Duration,
    Func<Random, INoiseSource> CreateSource)
{
    /// <summary>The scenario's start on a date at a place.</summary>
    public DateTimeOffset StartOn(DateOnly date, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = date.ToDateTime(LocalStart);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>The sensor's samples every interval from the start to the end; silent times give no sample.</summary>
    public IEnumerable<(DateTimeOffset At, double Db)> Samples(int seed, DateTimeOffset start, TimeSpan interval)
    {
        var source = CreateSource(new Random(seed));
        for (var elapsed = TimeSpan.Zero; elapsed < Duration; elapsed += interval)
        {
            if (source.LevelAt(elapsed) is { } db)
            {
                yield return (start + elapsed, Math.Round(db, 1));
            }
        }
    }
}
