using System.Globalization;
using EdgeSafety.Alerts;
using EdgeSafety.Dashboard.Access;
using EdgeSafety.Dashboard.Accounts;
using EdgeSafety.Dashboard.Live;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace EdgeSafety.Dashboard.Endpoints;

public sealed record SignInRequest(string? Name, string? Password);

/// <summary>The signed-in account as the page needs it.</summary>
public sealed record Me(string Name, string Role, string? Person, string? Area, IReadOnlyList<string> Sites, string? DisplayName, string TimeZone);

public sealed record CsrfToken(string Token, string Header);

public sealed record SignInRefusal(string Error, string Message, long RetryAfterSeconds);

public static class AuthEndpoints
{
    /// <summary>The header every state-changing call carries the antiforgery token in.</summary>
    public const string CsrfHeader = "X-CSRF-TOKEN";

    public static void MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth");
        auth.MapGet("/csrf", (HttpContext context, IAntiforgery antiforgery) =>
            new CsrfToken(antiforgery.GetAndStoreTokens(context).RequestToken!, CsrfHeader));

        auth.MapPost("/sign-in", async (SignInRequest body, HttpContext context, SignInService signIn, CurrentRegistry registry, AlertOptions alerts,
            TimeProvider time, CancellationToken cancellationToken) =>
        {
            if (string.IsNullOrWhiteSpace(body.Name) || string.IsNullOrEmpty(body.Password) || body.Name.Length > 200 || body.Password.Length > 1000)
            {
                return ApiResults.BadRequest("Give a name and a password.");
            }

            var result = await signIn.SignInAsync(body.Name, body.Password, context.Address(), cancellationToken);
            switch (result.Outcome)
            {
                case SignInOutcome.SignedIn:
                    await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
                        UserClaims.ToPrincipal(result.Account!, CookieAuthenticationDefaults.AuthenticationScheme));
                    return Results.Ok(MeOf(result.Account!, registry.Value, alerts));
                case SignInOutcome.InvalidCredentials:
                    return ApiResults.Error(StatusCodes.Status401Unauthorized, "invalid-credentials", "Wrong name or password.");
                default:
                    var retryAt = result.RetryAt!.Value;
                    var seconds = (long)Math.Ceiling(Math.Max(1, (retryAt - time.GetUtcNow()).TotalSeconds));
                    context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                    var when = retryAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
                    return Results.Json(result.Outcome == SignInOutcome.Locked
                        ? new SignInRefusal("locked", $"Too many failed sign-ins for this account: it is locked until {when} UTC.", seconds)
                        : new SignInRefusal("address-limited", $"Too many failed sign-ins from your address: try again after {when} UTC.", seconds),
                        statusCode: StatusCodes.Status429TooManyRequests);
            }
        });

        auth.MapPost("/sign-out", async (HttpContext context, AuditLog audit, CancellationToken cancellationToken) =>
        {
            if (context.User.Account() is { } account)
            {
                await audit.AppendAsync(account.Name, "sign-out", account.Name, null, context.Address(), cancellationToken);
            }

            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.NoContent();
        });

        auth.MapGet("/me", (UserScope scope, AlertOptions alerts) => MeOf(scope.Account, scope.Registry, alerts)).RequireAuthorization();
    }

    private static Me MeOf(UserAccount account, Registry registry, AlertOptions alerts) =>
        new(account.Name, account.Role.ToString().ToLowerInvariant(), account.Person, account.Area, account.Sites,
            account.Person is null ? null : registry.Person(account.Person)?.Name, alerts.TimeZone);
}
