using System.Security.Claims;
using EdgeSafety.Mqtt;
using EdgeSafety.Provisioning;
using EdgeSafety.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace EdgeSafety.Dashboard.Provisioning;

/// <summary>
/// Gateway enrolment and revocation (docs/security.md): an installer issues a one-time code for a gateway of one of
/// their sites, the agent on site redeems it (`EdgeSafety.EdgeAgent enrol`) for its own broker credentials, an admin
/// revokes a gateway and the broker cuts it off at once.
/// </summary>
public static class ProvisioningEndpoints
{
    private const string Section = "Provisioning";

    /// <summary>Only with a "Provisioning" section: a dashboard without one has no enrolment, and says so by 404.</summary>
    public static IHostApplicationBuilder AddGatewayProvisioning(this IHostApplicationBuilder builder)
    {
        if (builder.Configuration.GetSection(Section).Exists())
        {
            builder.Services.AddValidatedOptions<ProvisioningOptions>(Section);
            builder.Services.AddSingleton(sp => new EnrolmentCodes(sp.GetRequiredService<IOptions<ProvisioningOptions>>().Value.Enrolment,
                sp.GetRequiredService<TimeProvider>()));
            builder.Services.AddSingleton(sp => new DynamicSecurityControl(sp.GetRequiredService<IOptions<ProvisioningOptions>>().Value.Broker,
                sp.GetRequiredService<ILogger<MqttClient>>()));
        }

        return builder;
    }

    public static WebApplication MapGatewayProvisioning(this WebApplication app)
    {
        if (!app.Configuration.GetSection(Section).Exists())
        {
            return app;
        }

        app.MapPost("/api/sites/{site}/gateways/{gateway}/enrolment-code", IssueCode).RequireAuthorization("Enrolment");
        app.MapDelete("/api/sites/{site}/gateways/{gateway}/credentials", RevokeAsync).RequireAuthorization("Admin");
        // The gateway has no account: the code is its proof, over HTTPS; wrong codes are limited per address.
        app.MapPost("/api/enrolment", RedeemAsync).AllowAnonymous().DisableAntiforgery();
        return app;
    }

    private static IResult IssueCode(string site, string gateway, ClaimsPrincipal user, EnrolmentCodes codes, ILogger<EnrolmentCodes> logger)
    {
        if (!MayManageSite(user, site))
        {
            return Error(StatusCodes.Status404NotFound, "not-found", $"No site '{site}' among yours.");
        }

        if (!Contracts.Topics.IsValidId(gateway))
        {
            return Error(StatusCodes.Status400BadRequest, "invalid", "A gateway id is 1-64 letters, digits, '-' or '_'.");
        }

        var (code, grant) = codes.Issue(site, gateway, user.Identity?.Name ?? "unknown");
        ProvisioningLog.CodeIssued(logger, site, gateway, grant.IssuedBy, grant.ExpiresAt);
        return TypedResults.Ok(new { code, site, gateway, expiresAt = grant.ExpiresAt });
    }

    private static async Task<IResult> RedeemAsync(EnrolmentRequest request, HttpContext context, EnrolmentCodes codes,
        DynamicSecurityControl broker, IOptions<ProvisioningOptions> options, ILogger<EnrolmentCodes> logger)
    {
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var outcome = codes.TryRedeem(request.Code ?? "", address, out var grant);
        if (outcome != RedeemOutcome.Redeemed || grant is null)
        {
            ProvisioningLog.EnrolmentRefused(logger, address, outcome);
            return outcome == RedeemOutcome.TooManyAttempts
                ? Error(StatusCodes.Status429TooManyRequests, "address-limited", "Too many wrong codes from this address: ask for a new code later.")
                : Error(StatusCodes.Status400BadRequest, "invalid-code", "The code is wrong, used or expired: ask the installer's dashboard for a new one.");
        }

        var password = BrokerPasswords.NewPassword();
        try
        {
            await broker.AddGatewayAsync(grant.Site, grant.Gateway, password, context.RequestAborted);
        }
        catch (Exception ex) when (ex is BrokerAdministrationException or MqttException or OperationCanceledException)
        {
            ProvisioningLog.BrokerFailed(logger, grant.Site, grant.Gateway, ex);
            return Error(StatusCodes.Status503ServiceUnavailable, "broker-unavailable", "The broker did not take the gateway's credentials: try again with a new code.");
        }

        ProvisioningLog.Enrolled(logger, grant.Site, grant.Gateway, address, grant.IssuedBy);
        var gatewayBroker = options.Value.GatewayBroker;
        return TypedResults.Ok(new GatewayEnrolment(grant.Site, grant.Gateway, BrokerRoles.GatewayUsername(grant.Site, grant.Gateway), password,
            gatewayBroker.Host, gatewayBroker.Port, await File.ReadAllTextAsync(gatewayBroker.CaFile, context.RequestAborted)));
    }

    private static async Task<IResult> RevokeAsync(string site, string gateway, ClaimsPrincipal user, DynamicSecurityControl broker,
        ILogger<EnrolmentCodes> logger, CancellationToken cancellationToken)
    {
        if (!Contracts.Topics.IsValidId(site) || !Contracts.Topics.IsValidId(gateway))
        {
            return Error(StatusCodes.Status404NotFound, "not-found", "No such gateway.");
        }

        bool revoked;
        try
        {
            revoked = await broker.RevokeGatewayAsync(site, gateway, cancellationToken);
        }
        catch (Exception ex) when (ex is BrokerAdministrationException or MqttException or OperationCanceledException)
        {
            ProvisioningLog.BrokerFailed(logger, site, gateway, ex);
            return Error(StatusCodes.Status503ServiceUnavailable, "broker-unavailable", "The broker did not answer: the gateway is NOT revoked yet.");
        }

        ProvisioningLog.Revoked(logger, site, gateway, user.Identity?.Name ?? "unknown", revoked ? "disconnected and deleted" : "had no credentials");
        return revoked ? TypedResults.NoContent() : Error(StatusCodes.Status404NotFound, "not-found", "The gateway has no broker credentials.");
    }

    /// <summary>Admins manage every site, installers those of their account (docs/dashboard.md, "Enrolment").</summary>
    private static bool MayManageSite(ClaimsPrincipal user, string site) =>
        user.IsInRole("Admin")
        || (user.FindFirstValue("edgesafety:sites") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Contains(site, StringComparer.Ordinal);

    private static IResult Error(int status, string error, string message) => TypedResults.Json(new { error, message }, statusCode: status);
}
