using EdgeSafety.Contracts;
using EdgeSafety.Dashboard.Access;
using EdgeSafety.Dashboard.Accounts;
using EdgeSafety.Dashboard.Endpoints;
using EdgeSafety.Mqtt;
using EdgeSafety.Provisioning;
using EdgeSafety.ServiceDefaults;
using Microsoft.AspNetCore.Mvc;
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

        app.MapPost("/api/sites/{site}/gateways/{gateway}/enrolment-code", IssueCodeAsync).RequireAuthorization(DashboardPolicies.Enrolment);
        app.MapDelete("/api/sites/{site}/gateways/{gateway}/credentials", RevokeAsync).RequireAuthorization(DashboardPolicies.Admin);
        // The gateway has no account: the code is its proof, over HTTPS; wrong codes are limited per address.
        app.MapPost(EnrolmentRequest.Path, RedeemAsync).AllowAnonymous();
        return app;
    }

    /// <summary>Installers for the sites of their account (another site answers as a missing one), admins for every site.</summary>
    private static async Task<IResult> IssueCodeAsync(string site, string gateway, HttpContext context, [FromServices] UserScope scope,
        [FromServices] EnrolmentCodes codes, [FromServices] AuditLog audit, ILogger<EnrolmentCodes> logger)
    {
        if (!scope.CanSeeSite(site))
        {
            return ApiResults.NotFound($"No site '{site}'.");
        }

        if (!Topics.IsValidId(gateway))
        {
            return ApiResults.BadRequest("A gateway id is 1-64 letters, digits, '-' or '_'.");
        }

        var (code, grant) = codes.Issue(site, gateway, scope.Account.Name);
        await audit.AppendAsync(scope.Account.Name, "enrolment-code", $"{site}/{gateway}", $"valid until {grant.ExpiresAt:u}", context.Address(),
            context.RequestAborted);
        ProvisioningLog.CodeIssued(logger, site, gateway, grant.IssuedBy, grant.ExpiresAt);
        return TypedResults.Ok(new { code, site, gateway, expiresAt = grant.ExpiresAt });
    }

    /// <summary>The audit log is optional here only so that the enrolment chain can be tested without the dashboard's store.</summary>
    private static async Task<IResult> RedeemAsync(EnrolmentRequest request, HttpContext context, [FromServices] EnrolmentCodes codes,
        [FromServices] DynamicSecurityControl broker, IOptions<ProvisioningOptions> options, ILogger<EnrolmentCodes> logger,
        [FromServices] AuditLog? audit = null)
    {
        var address = context.Address();
        var outcome = codes.TryRedeem(request.Code ?? "", address, out var grant);
        if (outcome != RedeemOutcome.Redeemed || grant is null)
        {
            ProvisioningLog.EnrolmentRefused(logger, address, outcome);
            return outcome == RedeemOutcome.TooManyAttempts
                ? ApiResults.Error(StatusCodes.Status429TooManyRequests, "address-limited", "Too many wrong codes from this address: ask for a new code later.")
                : ApiResults.Error(StatusCodes.Status400BadRequest, "invalid-code", "The code is wrong, used or expired: ask the installer's dashboard for a new one.");
        }

        var password = BrokerPasswords.NewPassword();
        try
        {
            await broker.AddGatewayAsync(grant.Site, grant.Gateway, password, context.RequestAborted);
        }
        catch (Exception ex) when (ex is BrokerAdministrationException or MqttException or OperationCanceledException)
        {
            ProvisioningLog.BrokerFailed(logger, grant.Site, grant.Gateway, ex);
            return ApiResults.Error(StatusCodes.Status503ServiceUnavailable, "broker-unavailable",
                "The broker did not take the gateway's credentials: try again with a new code.");
        }

        if (audit is not null)
        {
            await audit.AppendAsync($"gateway:{grant.Site}/{grant.Gateway}", "enrolment", $"{grant.Site}/{grant.Gateway}", $"code issued by {grant.IssuedBy}",
                address, context.RequestAborted);
        }

        ProvisioningLog.Enrolled(logger, grant.Site, grant.Gateway, address, grant.IssuedBy);
        var gatewayBroker = options.Value.GatewayBroker;
        return TypedResults.Ok(new GatewayEnrolment(grant.Site, grant.Gateway, BrokerRoles.GatewayUsername(grant.Site, grant.Gateway), password,
            gatewayBroker.Host, gatewayBroker.Port, await File.ReadAllTextAsync(gatewayBroker.CaFile, context.RequestAborted)));
    }

    private static async Task<IResult> RevokeAsync(string site, string gateway, HttpContext context, [FromServices] UserScope scope,
        [FromServices] DynamicSecurityControl broker, [FromServices] AuditLog audit, ILogger<EnrolmentCodes> logger, CancellationToken cancellationToken)
    {
        if (!Topics.IsValidId(site) || !Topics.IsValidId(gateway))
        {
            return ApiResults.NotFound("No such gateway.");
        }

        bool revoked;
        try
        {
            revoked = await broker.RevokeGatewayAsync(site, gateway, cancellationToken);
        }
        catch (Exception ex) when (ex is BrokerAdministrationException or MqttException or OperationCanceledException)
        {
            ProvisioningLog.BrokerFailed(logger, site, gateway, ex);
            return ApiResults.Error(StatusCodes.Status503ServiceUnavailable, "broker-unavailable", "The broker did not answer: the gateway is NOT revoked yet.");
        }

        var outcome = revoked ? "disconnected and deleted" : "had no credentials";
        await audit.AppendAsync(scope.Account.Name, "revocation", $"{site}/{gateway}", outcome, context.Address(), cancellationToken);
        ProvisioningLog.Revoked(logger, site, gateway, scope.Account.Name, outcome);
        return revoked ? TypedResults.NoContent() : ApiResults.NotFound("The gateway has no broker credentials.");
    }
}
