using EdgeSafety.Alerts;
using EdgeSafety.Alerts.Store;
using EdgeSafety.Contracts;
using EdgeSafety.Dashboard.Access;
using EdgeSafety.Dashboard.Accounts;
using EdgeSafety.Dashboard.Gateways;
using EdgeSafety.Dashboard.Live;

namespace EdgeSafety.Dashboard.Endpoints;

public sealed record AlertDetail(AlertView Alert, IReadOnlyList<AlertHistoryEntry> History, IReadOnlyList<WorkOrder> WorkOrders);

public sealed record DispatchRequest(string? Warden);

public sealed record FeedbackRequest(string? Feedback, string? Notes);

public sealed record WarningRequest(string? Site, string? Gateway, string? Target, string? Message, string? Text);

public sealed record WarningResult(bool Ok, string Id);

/// <summary>The recorded warnings a gateway announced it can play; null when it has not said (an older agent, never seen online).</summary>
public sealed record WarningMessages(IReadOnlyList<string>? Messages);

public sealed record WardenView(string Id, string Name, string? Area);

/// <summary>
/// The alert queue and its actions, for wardens, landlords and admins. Every alert is looked up through the
/// caller's scope first: one outside it is "no such alert", and nothing is done to it. The actor recorded in the
/// alert's history is the signed-in person.
/// </summary>
public static class AlertEndpoints
{
    private const int MaxList = 1000;

    public static void MapAlertEndpoints(this IEndpointRouteBuilder app)
    {
        var alerts = app.MapGroup("/api/alerts").RequireAuthorization(DashboardPolicies.Operations);
        alerts.MapGet("", async (UserScope scope, AlertStore store, TimeProvider time, bool? open, int? limit, CancellationToken cancellationToken) =>
            await ListAsync(scope, store, time.GetUtcNow(), open ?? true, Math.Clamp(limit ?? 200, 1, MaxList), cancellationToken));

        alerts.MapGet("/{id:long}", async (long id, UserScope scope, AlertStore store, TimeProvider time, CancellationToken cancellationToken) =>
        {
            var alert = await VisibleAsync(id, scope, store, cancellationToken);
            var workOrders = await store.WorkOrdersAsync(id, cancellationToken);
            return new AlertDetail(AlertView.Of(alert, scope.Registry, AlertView.OwnerOf(id, workOrders), time.GetUtcNow()),
                await store.HistoryAsync(id, cancellationToken), workOrders);
        });

        alerts.MapPost("/{id:long}/acknowledge", (long id, HttpContext context, AlertActions actions, CancellationToken cancellationToken) =>
            actions.ChangeAsync(id, context, "alert-acknowledge", null, (engine, actor) => engine.AcknowledgeAsync(id, actor, cancellationToken), cancellationToken));

        alerts.MapPost("/{id:long}/resolve", (long id, FeedbackRequest body, HttpContext context, AlertActions actions, CancellationToken cancellationToken) =>
            actions.ChangeAsync(id, context, "alert-resolve", body.Feedback,
                (engine, actor) => engine.ResolveAsync(id, actor, body.Feedback ?? "", cancellationToken), cancellationToken));

        alerts.MapPost("/{id:long}/close", (long id, HttpContext context, AlertActions actions, CancellationToken cancellationToken) =>
            actions.ChangeAsync(id, context, "alert-close", null, (engine, actor) => engine.CloseAsync(id, actor, cancellationToken), cancellationToken));

        alerts.MapPost("/{id:long}/dispatch", async (long id, DispatchRequest body, HttpContext context, UserScope scope, AlertStore store, AlertEngine engine,
            AuditLog audit, CancellationToken cancellationToken) =>
        {
            await VisibleAsync(id, scope, store, cancellationToken);
            var order = await engine.DispatchAsync(id, string.IsNullOrWhiteSpace(body.Warden) ? null : body.Warden, scope.Account.Actor, cancellationToken);
            await audit.AppendAsync(scope.Account.Name, "alert-dispatch", $"alert {id}", $"to {order.Warden}", context.Address(), cancellationToken);
            return order;
        }).RequireAuthorization(DashboardPolicies.Warden);

        var workOrders = app.MapGroup("/api/work-orders").RequireAuthorization(DashboardPolicies.Warden);
        workOrders.MapPost("/{id:long}/accept", async (long id, HttpContext context, UserScope scope, AlertStore store, AlertEngine engine, AuditLog audit,
            CancellationToken cancellationToken) =>
        {
            await VisibleWorkOrderAsync(id, scope, store, cancellationToken);
            var order = await engine.AcceptWorkOrderAsync(id, scope.Account.Actor, cancellationToken);
            await audit.AppendAsync(scope.Account.Name, "work-order-accept", $"work order {id}", $"alert {order.AlertId}", context.Address(), cancellationToken);
            return order;
        });

        workOrders.MapPost("/{id:long}/feedback", async (long id, FeedbackRequest body, HttpContext context, UserScope scope, AlertStore store,
            AlertEngine engine, TimeProvider time, AuditLog audit, CancellationToken cancellationToken) =>
        {
            await VisibleWorkOrderAsync(id, scope, store, cancellationToken);
            var alert = await engine.GiveFeedbackAsync(id, scope.Account.Actor, body.Notes ?? body.Feedback ?? "", cancellationToken);
            await audit.AppendAsync(scope.Account.Name, "work-order-feedback", $"work order {id}", alert.Feedback, context.Address(), cancellationToken);
            return AlertView.Of(alert, scope.Registry, null, time.GetUtcNow());
        });

        app.MapGet("/api/wardens", (UserScope scope) => scope.Registry.Document.People
            .Where(p => p.Role == PersonRole.Warden && (scope.Account.Role == UserRole.Admin || p.Area == scope.Account.Area))
            .Select(p => new WardenView(p.Id, p.Name, p.Area))).RequireAuthorization(DashboardPolicies.Warden);

        app.MapPost("/api/warnings", SendWarningAsync).RequireAuthorization(DashboardPolicies.Warden);
        app.MapGet("/api/warnings/{site}/{gateway}/{target}/messages", (string site, string gateway, string target, UserScope scope, LiveHub live) =>
            scope.CanSeeDevice(site, gateway, target, null)
                ? Results.Ok(new WarningMessages(live.Gateway(site, gateway)?.WarningMessages))
                : ApiResults.NotFound($"There is no device {target} on gateway {site}/{gateway}."))
            .RequireAuthorization(DashboardPolicies.Warden);
    }

    /// <summary>The alerts the scope covers, newest first, each with its owner.</summary>
    public static async Task<IReadOnlyList<AlertView>> ListAsync(UserScope scope, AlertStore store, DateTimeOffset now, bool openOnly, int limit,
        CancellationToken cancellationToken)
    {
        var query = scope.Account.Role switch
        {
            UserRole.Admin => new AlertQuery(openOnly, Limit: limit),
            UserRole.Landlord => new AlertQuery(openOnly, Units: [.. scope.Units().Select(u => u.Id)], Limit: limit),
            _ => new AlertQuery(openOnly, Buildings: [.. scope.Buildings().Select(b => b.Id)], Limit: limit),
        };
        var workOrders = await store.OpenWorkOrdersAsync(cancellationToken);
        return [.. (await store.ListAlertsAsync(query, cancellationToken)).Where(scope.CanSeeAlert)
            .Select(a => AlertView.Of(a, scope.Registry, AlertView.OwnerOf(a.Id, workOrders), now))];
    }

    /// <summary>The alert, if it exists and the scope covers it; else the same "no such alert" either way.</summary>
    public static async Task<Alert> VisibleAsync(long id, UserScope scope, AlertStore store, CancellationToken cancellationToken) =>
        await store.GetAlertAsync(id, cancellationToken) is { } alert && scope.CanSeeAlert(alert)
            ? alert
            : throw new NotFoundException($"There is no alert {id}.");

    private static async Task VisibleWorkOrderAsync(long id, UserScope scope, AlertStore store, CancellationToken cancellationToken)
    {
        if (await store.GetWorkOrderAsync(id, cancellationToken) is not { } order
            || await store.GetAlertAsync(order.AlertId, cancellationToken) is not { } alert || !scope.CanSeeAlert(alert))
        {
            throw new NotFoundException($"There is no work order {id}.");
        }
    }

    private static async Task<IResult> SendWarningAsync(WarningRequest body, HttpContext context, UserScope scope, GatewayCommands commands, LiveHub live,
        AuditLog audit, CancellationToken cancellationToken)
    {
        if (!Topics.IsValidId(body.Site) || !Topics.IsValidId(body.Gateway) || !Topics.IsValidId(body.Target))
        {
            return ApiResults.BadRequest("A warning needs site, gateway and target (a device of the gateway), each an identifier.");
        }

        if ((body.Message is null) == (body.Text is null) || (body.Message is not null && !Topics.IsValidId(body.Message))
            || (body.Text is not null && (body.Text.Length is 0 or > CommandCodec.MaxWarnTextLength || body.Text.Any(char.IsControl))))
        {
            return ApiResults.BadRequest($"A warning needs exactly one of message (a recorded message's key) and text (1 to {CommandCodec.MaxWarnTextLength} characters, no control characters).");
        }

        if (!scope.CanSeeDevice(body.Site, body.Gateway, body.Target, null))
        {
            return ApiResults.NotFound($"There is no device {body.Target} on gateway {body.Site}/{body.Gateway}.");
        }

        // A key the gateway said it does not have would only come back refused from the site.
        if (body.Message is not null && live.Gateway(body.Site, body.Gateway)?.WarningMessages is { } known && !known.Contains(body.Message))
        {
            return ApiResults.BadRequest(known.Count == 0
                ? $"Gateway {body.Site}/{body.Gateway} plays no recorded warning (it has no player or no messages configured)."
                : $"Gateway {body.Site}/{body.Gateway} has no recorded warning '{body.Message}'; it has: {string.Join(", ", known)}.");
        }

        var command = new WarnCommand(GatewayCommands.NewId(), body.Target, body.Message, body.Text);
        var what = body.Message is null ? $"text \"{body.Text}\"" : $"message {body.Message}";
        await audit.AppendAsync(scope.Account.Name, "warning", $"{body.Site}/{body.Gateway}/{body.Target}", $"{what}; command {command.Id}", context.Address(),
            cancellationToken);
        await commands.RunAsync(body.Site, body.Gateway, command, cancellationToken);
        return Results.Ok(new WarningResult(true, command.Id));
    }
}

/// <summary>A lifecycle step on an alert the caller can see, audited with who did it.</summary>
public sealed class AlertActions(AlertStore store, AlertEngine engine, AuditLog audit, TimeProvider time)
{
    public async Task<AlertView> ChangeAsync(long id, HttpContext context, string action, string? detail, Func<AlertEngine, string, Task<Alert>> change,
        CancellationToken cancellationToken)
    {
        var scope = context.RequestServices.GetRequiredService<UserScope>();
        await AlertEndpoints.VisibleAsync(id, scope, store, cancellationToken);
        var alert = await change(engine, scope.Account.Actor);
        await audit.AppendAsync(scope.Account.Name, action, $"alert {id}", detail, context.Address(), cancellationToken);
        var workOrders = await store.WorkOrdersAsync(id, cancellationToken);
        return AlertView.Of(alert, scope.Registry, AlertView.OwnerOf(id, workOrders), time.GetUtcNow());
    }
}
