namespace EdgeSafety.Alerts;

/// <summary>
/// The loop an alert goes through: raised, notified, acknowledged, dispatched to a warden, resolved with feedback,
/// closed. A landlord may resolve an alert himself without a warden; anyone may acknowledge or dispatch before the
/// first notification lands. Anything else is refused.
/// </summary>
public static class AlertLifecycle
{
    private static readonly Dictionary<AlertState, AlertState[]> AllowedFrom = new()
    {
        [AlertState.Notified] = [AlertState.Raised],
        [AlertState.Acknowledged] = [AlertState.Raised, AlertState.Notified],
        [AlertState.Dispatched] = [AlertState.Raised, AlertState.Notified, AlertState.Acknowledged],
        [AlertState.Resolved] = [AlertState.Acknowledged, AlertState.Dispatched],
        [AlertState.Closed] = [AlertState.Resolved],
    };

    /// <summary>The states an alert may move to <paramref name="to"/> from.</summary>
    public static IReadOnlyList<AlertState> StatesBefore(AlertState to) =>
        AllowedFrom.TryGetValue(to, out var from) ? from : [];

    public static bool IsAllowed(AlertState from, AlertState to) => StatesBefore(to).Contains(from);
}

/// <summary>A lifecycle action the alert's state does not allow, such as closing an alert nobody resolved.</summary>
public sealed class InvalidTransitionException(long alertId, AlertState from, AlertState to)
    : InvalidOperationException($"Alert {alertId} is {from.ToString().ToLowerInvariant()}: it cannot become {to.ToString().ToLowerInvariant()}"
        + $" (only from {string.Join(", ", AlertLifecycle.StatesBefore(to).Select(s => s.ToString().ToLowerInvariant()))}).")
{
    public long AlertId { get; } = alertId;

    public AlertState From { get; } = from;

    public AlertState To { get; } = to;
}

/// <summary>An alert, work order, person or other record that does not exist.</summary>
public sealed class NotFoundException(string message) : Exception(message);

/// <summary>A request the data does not allow, other than a state change (an unknown warden, missing feedback).</summary>
public sealed class AlertRequestException(string message) : Exception(message);
