using System.Net;

namespace EdgeSafety.Notifications;

/// <summary>How the channels turn what came back into a <see cref="DeliveryOutcome"/>.</summary>
internal static class DeliveryOutcomes
{
    private const int MaxReplyInDetail = 200;

    public static DeliveryOutcome Delivered(int? statusCode, string detail = "delivered") =>
        new(DeliveryStatus.Delivered, detail) { StatusCode = statusCode };

    public static DeliveryOutcome Transient(string detail, int? statusCode = null) =>
        new(DeliveryStatus.TransientFailure, detail) { StatusCode = statusCode };

    public static DeliveryOutcome Permanent(string detail, int? statusCode = null) =>
        new(DeliveryStatus.PermanentFailure, detail) { StatusCode = statusCode };

    /// <summary>
    /// A reply that is not 2xx: 5xx, 408 (timeout) and 429 (slow down) are worth retrying; any other status
    /// means the request itself is wrong or unwelcome and will be again.
    /// </summary>
    public static async Task<DeliveryOutcome> FromFailedResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var code = (int)response.StatusCode;
        var reply = await ReadReplyAsync(response, cancellationToken).ConfigureAwait(false);
        var detail = $"HTTP {code} {response.ReasonPhrase}{(reply.Length > 0 ? ": " + reply : "")}";
        var transient = code >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
        return new DeliveryOutcome(transient ? DeliveryStatus.TransientFailure : DeliveryStatus.PermanentFailure, detail)
        {
            StatusCode = code,
            RetryAfter = RetryAfter(response),
        };
    }

    /// <summary>The start of a reply's body, on one line, for the outcome's detail.</summary>
    public static async Task<string> ReadReplyAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        Shorten(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));

    public static string Shorten(string reply)
    {
        reply = reply.ReplaceLineEndings(" ").Trim();
        return reply.Length <= MaxReplyInDetail ? reply : reply[..MaxReplyInDetail] + "…";
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        return header?.Date is { } date && date > DateTimeOffset.UtcNow ? date - DateTimeOffset.UtcNow : null;
    }
}
