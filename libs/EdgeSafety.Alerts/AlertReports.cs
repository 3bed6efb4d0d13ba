using System.Globalization;
using EdgeSafety.Alerts.Store;

namespace EdgeSafety.Alerts;

public enum ReportPeriod
{
    Day,
    Week,
    Month,
}

/// <summary>Alerts of one kind in one building: this period, the previous one, and the change.</summary>
public sealed record ReportRow(string Kind, string? Building, int Count, int PreviousCount, double? ChangePercent);

/// <summary>
/// The figures of one period against the previous one (Haizhu's "alarms down 49.25% on the previous period"), and
/// how fast alerts raised in the period were acknowledged and closed.
/// </summary>
public sealed record AlertReport(
    ReportPeriod Period,
    DateTimeOffset From,
    DateTimeOffset To,
    DateTimeOffset PreviousFrom,
    int Total,
    int PreviousTotal,
    double? ChangePercent,
    string Summary,
    double? MedianMinutesToAcknowledge,
    double? MedianMinutesToClose,
    IReadOnlyList<ReportRow> Rows);

public sealed class AlertReports(AlertStore store, AlertOptions options)
{
    private readonly TimeZoneInfo _timeZone = TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone);

    /// <summary>
    /// The report of the day, week (Monday first) or month containing <paramref name="at"/>, in the installation's
    /// time zone; of the buildings <paramref name="includeBuilding"/> accepts, when given (a warden's area, say).
    /// </summary>
    public async Task<AlertReport> BuildAsync(ReportPeriod period, DateTimeOffset at, CancellationToken cancellationToken,
        Func<string?, bool>? includeBuilding = null)
    {
        var local = TimeZoneInfo.ConvertTime(at, _timeZone).DateTime.Date;
        var start = period switch
        {
            ReportPeriod.Day => local,
            ReportPeriod.Week => local.AddDays(-(((int)local.DayOfWeek + 6) % 7)),
            _ => new DateTime(local.Year, local.Month, 1, 0, 0, 0, DateTimeKind.Unspecified),
        };
        DateTime Step(DateTime from, int n) => period switch
        {
            ReportPeriod.Day => from.AddDays(n),
            ReportPeriod.Week => from.AddDays(7 * n),
            _ => from.AddMonths(n),
        };

        var (from, to, previousFrom) = (Instant(start), Instant(Step(start, 1)), Instant(Step(start, -1)));
        includeBuilding ??= _ => true;
        var current = (await store.RaisedBetweenAsync(from, to, cancellationToken)).Where(a => includeBuilding(a.Building)).ToList();
        var previous = (await store.RaisedBetweenAsync(previousFrom, from, cancellationToken)).Where(a => includeBuilding(a.Building)).ToList();

        var rows = current.Select(a => (a.Kind, a.Building)).Concat(previous.Select(a => (a.Kind, a.Building))).Distinct()
            .Select(key =>
            {
                var count = current.Count(a => (a.Kind, a.Building) == key);
                var before = previous.Count(a => (a.Kind, a.Building) == key);
                return new ReportRow(AlertTexts.KebabCase(key.Kind.ToString()), key.Building, count, before, Change(count, before));
            })
            .OrderBy(r => r.Building, StringComparer.Ordinal).ThenBy(r => r.Kind, StringComparer.Ordinal)
            .ToList();
        var change = Change(current.Count, previous.Count);
        return new AlertReport(period, from, to, previousFrom, current.Count, previous.Count, change, Summary(change),
            Median(current.Where(a => a.AcknowledgedAt is not null).Select(a => (a.AcknowledgedAt!.Value - a.RaisedAt).TotalMinutes)),
            Median(current.Where(a => a.ClosedAt is not null).Select(a => (a.ClosedAt!.Value - a.RaisedAt).TotalMinutes)),
            rows);
    }

    private DateTimeOffset Instant(DateTime local) => new(local, _timeZone.GetUtcOffset(local));

    /// <summary>Percentage change, rounded to two decimals; none when the previous period had nothing to compare with.</summary>
    public static double? Change(int count, int previous) =>
        previous == 0 ? null : Math.Round((count - previous) * 100.0 / previous, 2, MidpointRounding.AwayFromZero);

    public static string Summary(double? change) => change switch
    {
        null => "no alarms in the previous period to compare with",
        0 => "alarms unchanged on the previous period",
        < 0 => string.Create(CultureInfo.InvariantCulture, $"alarms down {-change:0.##}% on the previous period"),
        _ => string.Create(CultureInfo.InvariantCulture, $"alarms up {change:0.##}% on the previous period"),
    };

    public static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        var middle = sorted.Length / 2;
        return Math.Round(sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2, 2);
    }
}
