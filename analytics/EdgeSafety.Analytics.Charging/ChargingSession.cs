namespace EdgeSafety.Analytics.Charging;

/// <summary>What a charger is doing, as far as its power curve shows it.</summary>
public enum ChargingStage
{
    /// <summary>Constant current: the power holds or climbs.</summary>
    Bulk,

    /// <summary>Constant voltage: the power falls away from its peak.</summary>
    Absorption,

    /// <summary>A small maintenance current (lead-acid chargers after absorption).</summary>
    Float,
}

public enum ChargingEventKind
{
    /// <summary>A session was confirmed (the 'e-bike charging' alert).</summary>
    Started,
    StageChanged,

    /// <summary>The charger was unplugged or stopped drawing power.</summary>
    Ended,

    /// <summary>The session passed the configured limit (default 8 h) and is still charging.</summary>
    UnusuallyLong,
}

/// <summary>
/// A charging session as known at one moment: from the switch-on of the added load (<see cref="StartedAt"/>) to its
/// confirmation (<see cref="DetectedAt"/>), its stage, the energy drawn since the start, and its end once ended.
/// </summary>
public sealed record ChargingSession(
    string Meter,
    DateTimeOffset StartedAt,
    DateTimeOffset DetectedAt,
    double Confidence,
    MeterTier Tier,
    double PowerAddedW,
    ChargingStage Stage,
    double PowerW,
    double EnergyWh,
    DateTimeOffset? EndedAt)
{
    public TimeSpan DurationAt(DateTimeOffset now) => (EndedAt ?? now) - StartedAt;
}

/// <summary>Something that happened to a session, at a time (the reading's time, not the clock's).</summary>
public sealed record ChargingEvent(ChargingEventKind Kind, DateTimeOffset At, ChargingSession Session);
