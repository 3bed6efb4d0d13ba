using EdgeSafety.Provisioning;

namespace EdgeSafety.Dashboard.Provisioning;

/// <summary>Enrolment and revocation, never with a code or a password.</summary>
internal static partial class ProvisioningLog
{
    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "Enrolment code for gateway {Site}/{Gateway} issued by {User}, valid until {ExpiresAt:u}")]
    public static partial void CodeIssued(ILogger logger, string site, string gateway, string user, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Information, Message = "Gateway {Site}/{Gateway} enrolled from {Address} (code issued by {User})")]
    public static partial void Enrolled(ILogger logger, string site, string gateway, string address, string user);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Warning, Message = "Enrolment refused from {Address}: {Outcome}")]
    public static partial void EnrolmentRefused(ILogger logger, string address, RedeemOutcome outcome);

    [LoggerMessage(EventId = 7104, Level = LogLevel.Information, Message = "Gateway {Site}/{Gateway} revoked by {User}: {Outcome}")]
    public static partial void Revoked(ILogger logger, string site, string gateway, string user, string outcome);

    [LoggerMessage(EventId = 7105, Level = LogLevel.Error, Message = "The broker did not take the change for gateway {Site}/{Gateway}")]
    public static partial void BrokerFailed(ILogger logger, string site, string gateway, Exception exception);
}
