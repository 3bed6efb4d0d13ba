using EdgeSafety.Alerts;
using EdgeSafety.Dashboard.Gateways;

namespace EdgeSafety.Dashboard.Endpoints;

/// <summary>Every error the API gives: a code a page can switch on and a sentence a person can read.</summary>
public sealed record ApiError(string Error, string Message);

public static class ApiResults
{
    public static IResult Error(int status, string code, string message) => Results.Json(new ApiError(code, message), statusCode: status);

    /// <summary>Also what something outside the caller's scope gets, word for word: no way to tell it exists.</summary>
    public static IResult NotFound(string message) => Error(StatusCodes.Status404NotFound, "not-found", message);

    public static IResult BadRequest(string message) => Error(StatusCodes.Status400BadRequest, "bad-request", message);

    /// <summary>The client's address, for lockout and the audit log (behind a proxy: configure forwarded headers).</summary>
    public static string Address(this HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>
    /// Turns what the layers below throw into the API's JSON errors: the store's not-found and refused lifecycle steps,
    /// gateways' refusals and silences, bodies that are malformed or too large.
    /// </summary>
    public static WebApplication UseApiErrors(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            IResult? error;
            try
            {
                await next(context);
                return;
            }
            catch (NotFoundException ex)
            {
                error = NotFound(ex.Message);
            }
            catch (InvalidTransitionException ex)
            {
                error = Error(StatusCodes.Status409Conflict, "conflict", ex.Message);
            }
            catch (AlertRequestException ex)
            {
                error = BadRequest(ex.Message);
            }
            catch (GatewayRefusedException ex)
            {
                error = Error(StatusCodes.Status502BadGateway, "gateway-error", ex.Message);
            }
            catch (TimeoutException ex)
            {
                error = Error(StatusCodes.Status504GatewayTimeout, "gateway-timeout", ex.Message);
            }
            catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
            {
                error = ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? Error(ex.StatusCode, "too-large", "The request body is larger than this server takes.")
                    : BadRequest(ex.Message);
            }

            if (!context.Response.HasStarted)
            {
                await error.ExecuteAsync(context);
            }
        });
        return app;
    }
}
