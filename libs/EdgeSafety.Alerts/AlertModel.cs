namespace EdgeSafety.Alerts;

public enum AlertSeverity
{
    Warning,
    Critical,
}

/// <summary>Where an alert is in the loop; every change is recorded in its history with who and when.</summary>
public enum AlertState
{
    Raised,
    Notified,
    Acknowledged,
    Dispatched,
    Resolved,
    Closed,
}

/// <summary>An alert as stored: one open alert per kind and subject, refreshed by repeats.</summary>
public sealed record Alert
{
    public required long Id { get; init; }

    public required AlertKind Kind { get; init; }

    public required AlertSeverity Severity { get; init; }

    public required AlertState State { get; init; }

    /// <summary>site/gateway/device, or site/gateway for a gateway's own alerts: what "the same alert" means.</summary>
    public required string Subject { get; init; }

    public required string Site { get; init; }

    public required string Gateway { get; init; }

    public required string Device { get; init; }

    public string? Building { get; init; }

    public string? Unit { get; init; }

    /// <summary>The figures of the latest trigger.</summary>
    public required IReadOnlyDictionary<string, string> Evidence { get; init; }

    /// <summary>How many triggers this alert has absorbed (1 when raised).</summary>
    public required int Count { get; init; }

    /// <summary>When the first trigger's condition was observed (the signal's time).</summary>
    public required DateTimeOffset FirstSeen { get; init; }

    public required DateTimeOffset LastSeen { get; init; }

    /// <summary>When the engine raised it: the start of the acknowledgement and closing clocks.</summary>
    public required DateTimeOffset RaisedAt { get; init; }

    /// <summary>When the condition last ended (an inactive signal); null while it holds.</summary>
    public DateTimeOffset? ClearedAt { get; init; }

    /// <summary>When it goes to the area's wardens if nobody acknowledges it first.</summary>
    public DateTimeOffset? EscalateAt { get; init; }

    public DateTimeOffset? EscalatedAt { get; init; }

    /// <summary>The unit offended again within the repeat-offence period: a case for enforcement.</summary>
    public bool FlaggedForEnforcement { get; init; }

    public DateTimeOffset? AcknowledgedAt { get; init; }

    public DateTimeOffset? ResolvedAt { get; init; }

    public DateTimeOffset? ClosedAt { get; init; }

    public string? Feedback { get; init; }
}

/// <summary>One recorded event in an alert's life: a state change, or an event such as an escalation that keeps the state.</summary>
public sealed record AlertHistoryEntry(DateTimeOffset At, string Actor, string Action, AlertState? From, AlertState To, string? Note);

public enum WorkOrderState
{
    Dispatched,
    Accepted,
    FeedbackGiven,
    Closed,
}

/// <summary>A warden's task for one alert: dispatched, accepted, feedback from the site, closed.</summary>
public sealed record WorkOrder(
    long Id,
    long AlertId,
    string Warden,
    WorkOrderState State,
    DateTimeOffset DispatchedAt,
    string DispatchedBy,
    DateTimeOffset? AcceptedAt,
    DateTimeOffset? FeedbackAt,
    string? Feedback,
    DateTimeOffset? ClosedAt);

public enum DeliveryState
{
    Pending,
    Delivered,
    Failed,
}

/// <summary>Why a person is told: the alert was raised, came back after a quiet spell, or went to the wardens.</summary>
public enum DeliveryReason
{
    Raised,
    Recurred,
    Escalated,
    Dispatched,
}

/// <summary>One notification of one person on one channel, retried until delivered or given up.</summary>
public sealed record Delivery(
    long Id,
    long AlertId,
    string Person,
    int Target,
    string Channel,
    DeliveryReason Reason,
    DeliveryState State,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? FinishedAt,
    string? LastDetail);

/// <summary>The recorded outcome of one delivery attempt.</summary>
public sealed record DeliveryAttempt(long DeliveryId, DateTimeOffset At, string Outcome, string Detail, int? StatusCode, double ElapsedMilliseconds);

public static class AlertKinds
{
    /// <summary>A fire risk or a device someone has interfered with rings at once; the rest is a warning.</summary>
    public static AlertSeverity SeverityOf(AlertKind kind) => kind switch
    {
        AlertKind.EbikeCharging or AlertKind.ChargingUnusuallyLong or AlertKind.DeviceTampered => AlertSeverity.Critical,
        _ => AlertSeverity.Warning,
    };

    /// <summary>Kinds that are a tenant's offence (counted for enforcement), not a fault of the equipment.</summary>
    public static bool IsOffence(AlertKind kind) => kind is AlertKind.EbikeCharging or AlertKind.ChargingUnusuallyLong
        or AlertKind.NoiseExceedance or AlertKind.NightNoiseBurst;

    /// <summary>The subject of a signal: its device, or the gateway itself when the device is empty.</summary>
    public static string SubjectOf(AlertSignal signal) =>
        string.IsNullOrEmpty(signal.Device) ? $"{signal.Site}/{signal.Gateway}" : $"{signal.Site}/{signal.Gateway}/{signal.Device}";
}
