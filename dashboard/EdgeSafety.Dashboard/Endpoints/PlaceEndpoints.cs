using EdgeSafety.Alerts;
using EdgeSafety.Alerts.Store;
using EdgeSafety.Dashboard.Access;
using EdgeSafety.Dashboard.Live;

namespace EdgeSafety.Dashboard.Endpoints;

public sealed record UnitView(string Id, string Name, string Building, string? Landlord, string State, int OpenAlerts, double? PowerW,
    IReadOnlyList<DeviceSnapshot>? Devices = null, IReadOnlyList<AlertView>? Alerts = null);

public sealed record BuildingView(string Id, string Site, string Name, string Area, double? Latitude, double? Longitude, string State, int OpenAlerts,
    double? NoiseDb, DateTimeOffset? NoiseAt, IReadOnlyList<UnitView> Units);

/// <summary>
/// Buildings and units with their state now: open alerts (the worst severity colours them), the latest noise level
/// of a building's sensors and each unit's power. A landlord sees the buildings holding their units, and in them only
/// their units.
/// </summary>
public static class PlaceEndpoints
{
    /// <summary>The reading values shown as a building's noise level and a unit's power.</summary>
    private const string NoiseValue = "db_a";
    private const string PowerValue = "power_w";

    public static void MapPlaceEndpoints(this IEndpointRouteBuilder app)
    {
        var places = app.MapGroup("/api").RequireAuthorization(DashboardPolicies.Operations);
        places.MapGet("/buildings", async (UserScope scope, AlertStore store, LiveHub live, TimeProvider time, CancellationToken cancellationToken) =>
        {
            var open = await AlertEndpoints.ListAsync(scope, store, time.GetUtcNow(), true, 5000, cancellationToken);
            var readings = live.Latest;
            return scope.Buildings().Select(b => Building(b, scope, open, readings)).ToList();
        });

        places.MapGet("/buildings/{id}", async (string id, UserScope scope, AlertStore store, LiveHub live, TimeProvider time, CancellationToken cancellationToken) =>
        {
            if (!scope.CanSeeBuilding(id))
            {
                return ApiResults.NotFound($"There is no building {id}.");
            }

            var open = await AlertEndpoints.ListAsync(scope, store, time.GetUtcNow(), true, 5000, cancellationToken);
            return Results.Ok(Building(scope.Registry.Building(id)!, scope, open, live.Latest));
        });

        places.MapGet("/units/{id}", async (string id, UserScope scope, AlertStore store, LiveHub live, TimeProvider time, CancellationToken cancellationToken) =>
        {
            if (!scope.CanSeeUnit(id))
            {
                return ApiResults.NotFound($"There is no unit {id}.");
            }

            var open = (await AlertEndpoints.ListAsync(scope, store, time.GetUtcNow(), true, 5000, cancellationToken)).Where(a => a.Unit == id).ToList();
            var devices = live.Latest.Where(d => d.Unit == id).ToList();
            return Results.Ok(Unit(scope.Registry.Unit(id)!, open, devices) with { Devices = devices, Alerts = open });
        });
    }

    private static BuildingView Building(Building building, UserScope scope, IReadOnlyList<AlertView> open, IReadOnlyList<DeviceSnapshot> readings)
    {
        var alerts = open.Where(a => a.Building == building.Id).ToList();
        var noise = readings.Where(r => r.Building == building.Id && r.Values.ContainsKey(NoiseValue)).OrderByDescending(r => r.Ts).FirstOrDefault();
        var units = scope.Units().Where(u => u.Building == building.Id)
            .Select(u => Unit(u, alerts.Where(a => a.Unit == u.Id).ToList(), readings.Where(r => r.Unit == u.Id).ToList())).ToList();
        return new BuildingView(building.Id, building.Site, building.Name, building.Area, building.Latitude, building.Longitude, StateOf(alerts),
            alerts.Count, noise?.Values[NoiseValue], noise?.Ts, units);
    }

    private static UnitView Unit(Unit unit, IReadOnlyList<AlertView> alerts, IReadOnlyList<DeviceSnapshot> readings)
    {
        var power = readings.Where(r => r.Values.ContainsKey(PowerValue)).Select(r => r.Values[PowerValue]).ToList();
        return new(unit.Id, unit.Name, unit.Building, unit.Landlord, StateOf(alerts), alerts.Count, power.Count == 0 ? null : power.Sum());
    }

    /// <summary>ok, warning or critical: the worst severity among the open alerts.</summary>
    private static string StateOf(IReadOnlyList<AlertView> alerts) =>
        alerts.Count == 0 ? "ok" : alerts.Max(a => a.Severity) == AlertSeverity.Critical ? "critical" : "warning";
}
