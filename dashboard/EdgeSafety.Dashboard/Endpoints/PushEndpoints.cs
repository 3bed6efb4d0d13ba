using EdgeSafety.Alerts;
using EdgeSafety.Dashboard.Access;
using EdgeSafety.Dashboard.Accounts;
using EdgeSafety.Notifications;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace EdgeSafety.Dashboard.Endpoints;

public sealed record PushKey(string PublicKey);

public sealed record PushSubscriptionKeys(string? P256dh, string? Auth);

/// <summary>A browser's PushSubscription.toJSON().</summary>
public sealed record PushSubscriptionRequest(string? Endpoint, PushSubscriptionKeys? Keys);

/// <summary>
/// Web Push for the installable app: the VAPID public key the page subscribes with, and the signed-in person's
/// subscriptions, stored as Web Push targets of their registry person (ingest's engine delivers to them).
/// </summary>
public static class PushEndpoints
{
    private const int MaxEndpointLength = 2048;

    public static void MapPushEndpoints(this IEndpointRouteBuilder app)
    {
        var push = app.MapGroup("/api/push").RequireAuthorization();
        push.MapGet("/key", (IOptions<NotificationOptions> notifications) =>
            notifications.Value.WebPush.PublicKey() is { } publicKey
                ? Results.Ok(new PushKey(publicKey))
                : ApiResults.NotFound("Web Push is not configured on this server (Notifications:WebPush)."));

        push.MapPost("/subscriptions", async (PushSubscriptionRequest body, HttpContext context, UserScope scope, AlertEngine engine,
            AuditLog audit, TimeProvider time, CancellationToken cancellationToken) =>
        {
            if (scope.Account.Person is not { } person || scope.Registry.Person(person) is null)
            {
                return ApiResults.BadRequest("This account is not linked to a person of the registry: there is nobody to notify.");
            }

            if (!Uri.TryCreate(body.Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme != Uri.UriSchemeHttps || body.Endpoint!.Length > MaxEndpointLength
                || string.IsNullOrWhiteSpace(body.Keys?.P256dh) || string.IsNullOrWhiteSpace(body.Keys?.Auth)
                || body.Keys.P256dh.Length > 200 || body.Keys.Auth.Length > 100)
            {
                return ApiResults.BadRequest("Send the browser's PushSubscription.toJSON(): an https endpoint and keys.p256dh and keys.auth.");
            }

            await engine.Store.AddPushSubscriptionAsync(person, body.Endpoint, new WebPushKeys(body.Keys.P256dh, body.Keys.Auth), time.GetUtcNow(), cancellationToken);
            await engine.RefreshRegistryAsync(cancellationToken);
            await audit.AppendAsync(scope.Account.Name, "push-subscribe", person, endpoint.Host, context.Address(), cancellationToken);
            return Results.NoContent();
        });

        push.MapDelete("/subscriptions", async ([FromBody] PushSubscriptionRequest body, UserScope scope, AlertEngine engine,
            CancellationToken cancellationToken) =>
        {
            if (scope.Account.Person is not { } person || string.IsNullOrEmpty(body.Endpoint)
                || !await engine.Store.RemovePushSubscriptionAsync(person, body.Endpoint, cancellationToken))
            {
                return ApiResults.NotFound("You have no push subscription with that endpoint.");
            }

            await engine.RefreshRegistryAsync(cancellationToken);
            return Results.NoContent();
        });
    }
}
