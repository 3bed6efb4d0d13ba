using System.Globalization;
using EdgeSafety.Alerts;
using EdgeSafety.Alerts.Store;
using EdgeSafety.Contracts;
using EdgeSafety.Dashboard.Access;
using EdgeSafety.Dashboard.Live;
using EdgeSafety.Influx;

namespace EdgeSafety.Dashboard.Endpoints;

public sealed record HistoryPoint(DateTimeOffset T, IReadOnlyDictionary<string, double> Values);

public sealed record HistoryView(string Site, string Device, string? Kind, string Range, int BucketSeconds, IReadOnlyList<string> Fields,
    IReadOnlyList<HistoryPoint> Points);

public sealed record HeatmapCell(string Building, string Name, double? Latitude, double? Longitude, int Alerts, int Previous);

/// <summary>
/// Charts: a device's power or noise over the last hour, day, week or month from InfluxDB (means per time bucket,
/// about 360 points whatever the range), the charging sessions to draw on a power curve, and alert reports and a
/// heat map of alerts by building, each limited to what the caller may see.
/// </summary>
public static class HistoryEndpoints
{
    /// <summary>Each range and its bucket: a few hundred points a chart can draw without thinning.</summary>
    private static readonly Dictionary<string, (TimeSpan Span, TimeSpan Bucket)> Ranges = new(StringComparer.Ordinal)
    {
        ["hour"] = (TimeSpan.FromHours(1), TimeSpan.FromSeconds(10)),
        ["day"] = (TimeSpan.FromDays(1), TimeSpan.FromMinutes(4)),
        ["week"] = (TimeSpan.FromDays(7), TimeSpan.FromMinutes(30)),
        ["month"] = (TimeSpan.FromDays(30), TimeSpan.FromHours(2)),
    };

    public static void MapHistoryEndpoints(this IEndpointRouteBuilder app)
    {
        var history = app.MapGroup("/api/history").RequireAuthorization(DashboardPolicies.Operations);
        history.MapGet("/{site}/{device}", async (string site, string device, string? range, UserScope scope, LiveHub live, InfluxClient influx,
            CancellationToken cancellationToken) =>
        {
            if (!Ranges.TryGetValue(range ?? "day", out var span))
            {
                return ApiResults.BadRequest($"range must be one of {string.Join(", ", Ranges.Keys)}.");
            }

            if (!CanSeeDevice(site, device, scope, live))
            {
                return NoDevice(site, device);
            }

            var bucket = (int)span.Bucket.TotalSeconds;
            var query = string.Create(CultureInfo.InvariantCulture,
                $"SELECT mean(*) FROM \"meter\", \"noise\" WHERE \"site\" = {InfluxQL.Literal(site)} AND \"device\" = {InfluxQL.Literal(device)} "
                + $"AND time > now() - {(long)span.Span.TotalSeconds}s GROUP BY time({bucket}s) fill(none)");
            var series = (await influx.QueryAsync(query, cancellationToken)).FirstOrDefault(s => s.Values.Count > 0);
            if (series is null)
            {
                return Results.Ok(new HistoryView(site, device, null, range ?? "day", bucket, [], []));
            }

            // mean(*) names its columns mean_<field>, over both measurements (a meter's series has the noise fields, all
            // null): keep the fields with values. seq is the reading counter, not a measured value.
            var fields = series.Columns.Select((name, index) => (Name: name.StartsWith("mean_", StringComparison.Ordinal) ? name[5..] : null, Index: index))
                .Where(c => c.Name is not null and not "seq" && series.Values.Any(row => row[c.Index].ValueKind == System.Text.Json.JsonValueKind.Number))
                .ToList();
            var points = series.Values.Select(row => new HistoryPoint(DateTimeOffset.FromUnixTimeMilliseconds(row[0].GetInt64()),
                fields.Where(f => row[f.Index].ValueKind == System.Text.Json.JsonValueKind.Number)
                    .ToDictionary(f => f.Name!, f => Math.Round(row[f.Index].GetDouble(), 3)))).ToList();
            return Results.Ok(new HistoryView(site, device, series.Name, range ?? "day", bucket, [.. fields.Select(f => f.Name!)], points));
        });

        history.MapGet("/{site}/{device}/sessions", async (string site, string device, string? range, UserScope scope, LiveHub live, AlertStore store,
            TimeProvider time, CancellationToken cancellationToken) =>
        {
            if (!Ranges.TryGetValue(range ?? "day", out var span))
            {
                return ApiResults.BadRequest($"range must be one of {string.Join(", ", Ranges.Keys)}.");
            }

            return CanSeeDevice(site, device, scope, live)
                ? Results.Ok(await store.ChargingSessionsAsync(site, device, time.GetUtcNow() - span.Span, cancellationToken))
                : NoDevice(site, device);
        });

        app.MapGet("/api/reports", async (string? period, DateTimeOffset? at, UserScope scope, AlertReports reports, TimeProvider time,
            CancellationToken cancellationToken) =>
            Enum.TryParse<ReportPeriod>(period ?? "week", ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                ? Results.Ok(await reports.BuildAsync(parsed, at ?? time.GetUtcNow(), cancellationToken, scope.CanSeeBuilding))
                : ApiResults.BadRequest("period must be day, week or month.")).RequireAuthorization(DashboardPolicies.Warden);

        app.MapGet("/api/heatmap", async (string? period, DateTimeOffset? at, UserScope scope, AlertReports reports, TimeProvider time,
            CancellationToken cancellationToken) =>
        {
            if (!Enum.TryParse<ReportPeriod>(period ?? "week", ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return ApiResults.BadRequest("period must be day, week or month.");
            }

            var report = await reports.BuildAsync(parsed, at ?? time.GetUtcNow(), cancellationToken, scope.CanSeeBuilding);
            return Results.Ok(scope.Buildings().Select(b => new HeatmapCell(b.Id, b.Name, b.Latitude, b.Longitude,
                report.Rows.Where(r => r.Building == b.Id).Sum(r => r.Count), report.Rows.Where(r => r.Building == b.Id).Sum(r => r.PreviousCount))).ToList());
        }).RequireAuthorization(DashboardPolicies.Warden);
    }

    /// <summary>A device the caller may see: where the registry or its latest reading puts it.</summary>
    private static bool CanSeeDevice(string site, string device, UserScope scope, LiveHub live)
    {
        if (!Topics.IsValidId(site) || !Topics.IsValidId(device))
        {
            return false;
        }

        var reading = live.Latest.FirstOrDefault(r => r.Site == site && r.Device == device);
        return reading is not null
            ? scope.CanSee(site, reading.Building, reading.Unit)
            : scope.CanSeeDevice(site, "", device, null) && scope.Registry.Document.Devices.Any(d => d.Site == site && d.Device == device);
    }

    private static IResult NoDevice(string site, string device) => ApiResults.NotFound($"There is no device {site}/{device}.");
}
