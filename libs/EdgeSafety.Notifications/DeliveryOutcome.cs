namespace EdgeSafety.Notifications;

public enum DeliveryStatus
{
    Delivered,

    /// <summary>Worth retrying later: a timeout, a refused connection, 5xx, 408, 429, a robot's rate limit.</summary>
    TransientFailure,

    /// <summary>Retrying will not help: a 4xx, a robot's error code, a push subscription that is gone, a bad target.</summary>
    PermanentFailure,
}

/// <summary>
/// The result of one delivery attempt. <see cref="Detail"/> says what happened in words fit for the dashboard
/// and the log; it never contains a secret or a robot's URL.
/// </summary>
public sealed record DeliveryOutcome(DeliveryStatus Status, string Detail)
{
    /// <summary>The receiver's HTTP status (or SMTP reply code), when one came back.</summary>
    public int? StatusCode { get; init; }

    /// <summary>How long the receiver asked us to wait (HTTP Retry-After), when it did.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>From the start of the attempt to its outcome.</summary>
    public TimeSpan Elapsed { get; init; }

    public bool IsDelivered => Status == DeliveryStatus.Delivered;
}
