using System.Security.Cryptography;

namespace EdgeSafety.Provisioning;

/// <summary>
/// What a gateway receives when it redeems its code (POST /api/enrolment, answered over HTTPS): who it is, its own
/// broker credentials, and where and how to reach the broker.
/// </summary>
public sealed record GatewayEnrolment(string Site, string Gateway, string Username, string Password, string BrokerHost, int BrokerPort,
    string BrokerCaPem);

/// <summary>The request a gateway sends to redeem its code.</summary>
public sealed record EnrolmentRequest(string Code);

public static class BrokerPasswords
{
    /// <summary>192 random bits, URL-safe base64 (32 characters): nothing to guess, nothing to escape in a file or a header.</summary>
    public static string NewPassword() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
}
