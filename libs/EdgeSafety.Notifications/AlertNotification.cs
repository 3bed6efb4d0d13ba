namespace EdgeSafety.Notifications;

/// <summary>The language a person reads; the generic webhook always carries both.</summary>
public enum NotificationLanguage
{
    Chinese,
    English,
}

/// <summary>A text in simplified Chinese (zh-CN) and English.</summary>
public sealed record LocalizedText(string Chinese, string English)
{
    public string In(NotificationLanguage language) => language == NotificationLanguage.English ? English : Chinese;
}

/// <summary>
/// What one notification says about one alert, the same for every channel and every retry. Machine names
/// (<see cref="Kind"/>, <see cref="Severity"/>, <see cref="State"/>) are lower-case kebab-case words such as
/// <c>ebike-charging</c>, <c>critical</c>, <c>raised</c>: they go unchanged into the webhook JSON
/// (docs/notifications.md), where receivers match on them.
/// </summary>
public sealed record AlertNotification
{
    /// <summary>Unique per notification and the same on every retry of it, so a receiver can drop a repeat.</summary>
    public required string NotificationId { get; init; }

    public required string AlertId { get; init; }

    public required string Kind { get; init; }

    public required string Severity { get; init; }

    /// <summary>The alert's state when this was sent (raised, escalated, acknowledged, ...).</summary>
    public required string State { get; init; }

    /// <summary>One line: the robots' and e-mail's subject, the push notification's title.</summary>
    public required LocalizedText Title { get; init; }

    /// <summary>A few sentences of plain text: what happened, where, what to do.</summary>
    public required LocalizedText Body { get; init; }

    public required string Site { get; init; }

    public string? Building { get; init; }

    public string? Unit { get; init; }

    public string? Device { get; init; }

    public required DateTimeOffset RaisedAt { get; init; }

    /// <summary>How many times the condition has been seen while this alert was open.</summary>
    public int Count { get; init; } = 1;

    /// <summary>The figures that triggered the alert, named as in the protocol (power_w, laeq_db, ...).</summary>
    public IReadOnlyDictionary<string, string> Evidence { get; init; } = new Dictionary<string, string>();

    /// <summary>The alert's page on the dashboard.</summary>
    public Uri? Link { get; init; }
}
