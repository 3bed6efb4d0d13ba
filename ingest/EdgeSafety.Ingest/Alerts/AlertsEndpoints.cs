using System.Globalization;
using EdgeSafety.Alerts;
using EdgeSafety.Alerts.Store;

namespace EdgeSafety.Ingest.Alerts;

/// <summary>What a lifecycle action carries: who acts, and the words some actions need.</summary>
public sealed record AlertAction(string? Actor, string? Warden = null, string? Feedback = null, string? Notes = null);

/// <summary>One alert with its history, work orders and deliveries: the whole story of a case.</summary>
public sealed record AlertCase(Alert Alert, IReadOnlyList<AlertHistoryEntry> History, IReadOnlyList<WorkOrder> WorkOrders, IReadOnlyList<Delivery> Deliveries);

/// <summary>
/// The alert API on ingest (docs/alerts.md) for the dashboard and tests: list, look at a case, act on it, report.
/// It has no authentication yet: ingest listens on 127.0.0.1 by default, and must stay there until sign-in and roles
/// arrive with the dashboard.
/// </summary>
public static class AlertsEndpoints
{
    private static readonly DateTimeOffset EarliestReport = DateTimeOffset.UnixEpoch;
    private static readonly DateTimeOffset LatestReport = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static WebApplication MapAlertsApi(this WebApplication app)
    {
        var api = app.MapGroup("/api").AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context);
            }
            catch (NotFoundException ex)
            {
                return Results.Problem(ex.Message, statusCode: StatusCodes.Status404NotFound);
            }
            catch (InvalidTransitionException ex)
            {
                return Results.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict);
            }
            catch (AlertRequestException ex)
            {
                return Results.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest);
            }
        });

        api.MapGet("/alerts", async (AlertEngine engine, bool? open, bool? flagged, CancellationToken ct) =>
            Results.Ok(await engine.Store.ListAlertsAsync(new AlertQuery(open ?? true, FlaggedOnly: flagged ?? false), ct)));
        api.MapGet("/alerts/{id:long}", async (AlertEngine engine, long id, CancellationToken ct) => Results.Ok(await CaseAsync(engine.Store, id, ct)));
        api.MapPost("/alerts/{id:long}/acknowledge", async (AlertEngine engine, long id, AlertAction action, CancellationToken ct) =>
            Results.Ok(await engine.AcknowledgeAsync(id, Actor(action), ct)));
        api.MapPost("/alerts/{id:long}/dispatch", async (AlertEngine engine, long id, AlertAction action, CancellationToken ct) =>
            Results.Ok(await engine.DispatchAsync(id, action.Warden, Actor(action), ct)));
        api.MapPost("/alerts/{id:long}/resolve", async (AlertEngine engine, long id, AlertAction action, CancellationToken ct) =>
            Results.Ok(await engine.ResolveAsync(id, Actor(action), action.Feedback ?? "", ct)));
        api.MapPost("/alerts/{id:long}/close", async (AlertEngine engine, long id, AlertAction action, CancellationToken ct) =>
            Results.Ok(await engine.CloseAsync(id, Actor(action), ct)));
        api.MapPost("/work-orders/{id:long}/accept", async (AlertEngine engine, long id, AlertAction action, CancellationToken ct) =>
            Results.Ok(await engine.AcceptWorkOrderAsync(id, Actor(action), ct)));
        api.MapPost("/work-orders/{id:long}/feedback", async (AlertEngine engine, long id, AlertAction action, CancellationToken ct) =>
            Results.Ok(await engine.GiveFeedbackAsync(id, Actor(action), action.Notes ?? "", ct)));
        api.MapGet("/deliveries/{id:long}/attempts", async (AlertEngine engine, long id, CancellationToken ct) =>
            Results.Ok(await engine.Store.AttemptsAsync(id, ct)));

        // The landlord's view: every alert on a unit they own, with the progress of its work order.
        api.MapGet("/landlords/{id}/alerts", async (AlertEngine engine, string id, CancellationToken ct) =>
        {
            var registry = await engine.RegistryAsync();
            if (registry.Person(id) is not { Role: PersonRole.Landlord })
            {
                throw new NotFoundException($"There is no landlord '{id}'.");
            }

            var alerts = await engine.Store.ListAlertsAsync(new AlertQuery(OpenOnly: false, Units: registry.UnitsOf(id)), ct);
            var cases = new List<AlertCase>();
            foreach (var alert in alerts)
            {
                cases.Add(await CaseAsync(engine.Store, alert.Id, ct));
            }

            return Results.Ok(cases);
        });

        api.MapGet("/reports", async (AlertReports reports, TimeProvider time, string? period, string? at, CancellationToken ct) =>
        {
            if (!Enum.TryParse<ReportPeriod>(period ?? "week", ignoreCase: true, out var which) || !Enum.IsDefined(which))
            {
                throw new AlertRequestException("period must be day, week or month.");
            }

            var instant = time.GetUtcNow();
            if (at is not null && !DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant))
            {
                throw new AlertRequestException("at must be a date or an ISO 8601 time.");
            }

            // The report's periods (and the one before) are local days, weeks or months around the instant: near the ends of
            // DateTimeOffset's range they cannot be computed (an answer 500 before this check).
            if (instant < EarliestReport || instant >= LatestReport)
            {
                throw new AlertRequestException("at must be between 1970 and 9998.");
            }

            return Results.Ok(await reports.BuildAsync(which, instant, ct));
        });
        return app;
    }

    private static async Task<AlertCase> CaseAsync(AlertStore store, long id, CancellationToken ct) =>
        new(await store.GetAlertAsync(id, ct) ?? throw new NotFoundException($"There is no alert {id}."),
            await store.HistoryAsync(id, ct), await store.WorkOrdersAsync(id, ct), await store.DeliveriesAsync(id, ct));

    private static string Actor(AlertAction action) =>
        string.IsNullOrWhiteSpace(action.Actor) ? throw new AlertRequestException("actor (who acts) is required.") : action.Actor.Trim();
}
