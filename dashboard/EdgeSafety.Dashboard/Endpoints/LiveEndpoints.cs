using System.Net.ServerSentEvents;
using EdgeSafety.Dashboard.Access;
using EdgeSafety.Dashboard.Live;

namespace EdgeSafety.Dashboard.Endpoints;

/// <summary>
/// The live stream: server-sent events (the browser reconnects by itself, and proxies pass them as plain HTTP) of
/// readings, alert changes, gateway presence and device health, each only to the users whose scope covers it.
/// </summary>
public static class LiveEndpoints
{
    public static void MapLiveEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/devices", (HttpContext context, LiveHub live) =>
        {
            var scope = context.RequestServices.GetRequiredService<UserScope>();
            return live.Latest.Where(d => scope.CanSee(d.Site, d.Building, d.Unit)).ToList();
        }).RequireAuthorization();

        app.MapGet("/api/live", (HttpContext context, LiveHub live, CurrentRegistry registry, CancellationToken cancellationToken) =>
        {
            var account = context.User.Account()!;
            // A "ready" event first, once the stream is registered: it sends the response's headers at once (EventSource
            // opens), says whose stream it is, and everything published after it reaches the stream.
            var ready = new LiveEvent("ready", "", null, null, new { account.Name, Role = account.Role.ToString().ToLowerInvariant() });
            return TypedResults.ServerSentEvents(Stream(live.WatchAsync(() => new UserScope(account, registry.Value), ready, cancellationToken)));
        }).RequireAuthorization();
    }

    private static async IAsyncEnumerable<SseItem<object>> Stream(IAsyncEnumerable<LiveEvent> events)
    {
        await foreach (var live in events)
        {
            yield return new SseItem<object>(live.Payload, live.Name);
        }
    }
}
