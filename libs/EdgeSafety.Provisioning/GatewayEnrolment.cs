using System.Security.Cryptography;

namespace EdgeSafety.Provisioning;

/// <summary>
/// What a gateway receives when it redeems its code (POST <see cref="EnrolmentRequest.Path"/>, answered over HTTPS): who it is, its own
/// broker credentials, and where and how to reach the broker.
/// </summary>
public sealed record GatewayEnrolment(string Site, string Gateway, string Username, string Password, string BrokerHost, int BrokerPort,
    string BrokerCaPem);

/// <summary>The request a gateway sends to redeem its code.</summary>
public sealed record EnrolmentRequest(string Code)
{
    /// <summary>
    /// Where the dashboard takes it: outside /api, whose state-changing calls need a browser session's antiforgery
    /// token, since a gateway has no session (the code is its proof).
    /// </summary>
    public const string Path = "/enrolment";
}

public static class BrokerPasswords
{
    /// <summary>192 random bits, URL-safe base64 (32 characters): nothing to guess, nothing to escape in a file or a header.</summary>
    public static string NewPassword() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
}
