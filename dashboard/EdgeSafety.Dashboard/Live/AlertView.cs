using EdgeSafety.Alerts;

namespace EdgeSafety.Dashboard.Live;

/// <summary>An alert as pages show it: with the names of its place, its age and who owns its work order.</summary>
public sealed record AlertView(
    long Id,
    AlertKind Kind,
    AlertSeverity Severity,
    AlertState State,
    string Site,
    string Gateway,
    string Device,
    string? Unit,
    string? UnitName,
    string? Building,
    string? BuildingName,
    DateTimeOffset RaisedAt,
    long AgeSeconds,
    string? Owner,
    int Count,
    IReadOnlyDictionary<string, string> Evidence,
    DateTimeOffset? ClearedAt,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? EscalatedAt,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset? ClosedAt,
    string? Feedback,
    bool FlaggedForEnforcement)
{
    public static AlertView Of(Alert alert, Registry registry, string? owner, DateTimeOffset now) => new(
        alert.Id, alert.Kind, alert.Severity, alert.State, alert.Site, alert.Gateway, alert.Device,
        alert.Unit, registry.Unit(alert.Unit)?.Name, alert.Building, registry.Building(alert.Building)?.Name,
        alert.RaisedAt, (long)Math.Max(0, (now - alert.RaisedAt).TotalSeconds), owner, alert.Count, alert.Evidence,
        alert.ClearedAt, alert.AcknowledgedAt, alert.EscalatedAt, alert.ResolvedAt, alert.ClosedAt, alert.Feedback, alert.FlaggedForEnforcement);

    /// <summary>The warden of the alert's latest open work order, if any.</summary>
    public static string? OwnerOf(long alertId, IEnumerable<WorkOrder> workOrders) =>
        workOrders.Where(o => o.AlertId == alertId && o.ClosedAt is null).OrderByDescending(o => o.Id).FirstOrDefault()?.Warden;
}
