using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EdgeSafety.TestSupport;

/// <summary>
/// What a webhook receiver does with X-EdgeSafety-Signature (t=UNIX_SECONDS,v1=HEX(HMAC-SHA256(secret, t + "." + body))),
/// as docs/notifications.md tells it: recompute the HMAC, compare in constant time, refuse old timestamps.
/// </summary>
public static class WebhookSignature
{
    public static bool Verify(string? header, byte[] body, string secret, TimeSpan tolerance)
    {
        if (header is null)
        {
            return false;
        }

        var parts = header.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!parts.TryGetValue("t", out var t) || !parts.TryGetValue("v1", out var v1) || !long.TryParse(t, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }

        if (Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds) > tolerance.TotalSeconds)
        {
            return false;
        }

        byte[] signed = [.. Encoding.ASCII.GetBytes(t + "."), .. body];
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(v1));
    }
}
