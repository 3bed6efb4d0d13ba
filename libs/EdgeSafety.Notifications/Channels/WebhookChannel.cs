using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace EdgeSafety.Notifications;

/// <summary>
/// The generic webhook: the notification as JSON (format version 1, docs/notifications.md), signed like Stripe's
/// and GitHub's webhooks so the receiver can tell it came from us and was not replayed:
/// <c>X-EdgeSafety-Signature: t=UNIX_SECONDS,v1=HEX(HMAC-SHA256(secret, t + "." + body))</c>.
/// </summary>
internal sealed class WebhookChannel(Func<HttpClient> http, WebhookOptions options, TimeProvider clock) : INotificationChannel
{
    public const string SignatureHeader = "X-EdgeSafety-Signature";
    public const string NotificationIdHeader = "X-EdgeSafety-Notification-Id";

    private readonly string? _secret = NotificationOptions.ReadSecret(options.Secret, options.SecretFile);

    public NotificationChannel Channel => NotificationChannel.Webhook;

    /// <summary>Always on: a target may bring its own secret; without any secret the body goes unsigned.</summary>
    public bool IsConfigured => true;

    public async Task<DeliveryOutcome> SendAsync(NotificationTarget target, AlertNotification notification, CancellationToken cancellationToken)
    {
        var url = HttpTargets.Url(target);
        var body = WebhookPayload.Serialize(notification);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(NotificationIdHeader, notification.NotificationId);
        var secret = target.Secret ?? _secret;
        if (!string.IsNullOrEmpty(secret))
        {
            request.Headers.Add(SignatureHeader, Sign(secret, clock.GetUtcNow().ToUnixTimeSeconds(), body));
        }

        using var response = await http().SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode
            ? DeliveryOutcomes.Delivered((int)response.StatusCode)
            : await DeliveryOutcomes.FromFailedResponseAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The header value: <c>t={timestamp},v1={hex HMAC-SHA256 over "{timestamp}." followed by the body's bytes}</c>.</summary>
    public static string Sign(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var timestamp = unixSeconds.ToString(CultureInfo.InvariantCulture);
        var signed = new byte[timestamp.Length + 1 + body.Length];
        Encoding.ASCII.GetBytes(timestamp, signed);
        signed[timestamp.Length] = (byte)'.';
        body.CopyTo(signed.AsSpan(timestamp.Length + 1));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }
}

/// <summary>The webhook's JSON body, written field by field so its shape is exactly the documented one.</summary>
internal static class WebhookPayload
{
    public const int Version = 1;

    // Chinese text stays readable in the body; the body is JSON over HTTP, never embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Serialize(AlertNotification notification)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteNumber("version", Version);
            json.WriteString("notificationId", notification.NotificationId);
            json.WriteString("alertId", notification.AlertId);
            json.WriteString("kind", notification.Kind);
            json.WriteString("severity", notification.Severity);
            json.WriteString("state", notification.State);
            json.WriteString("site", notification.Site);
            WriteOptional(json, "building", notification.Building);
            WriteOptional(json, "unit", notification.Unit);
            WriteOptional(json, "device", notification.Device);
            json.WriteString("raisedAt", notification.RaisedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            json.WriteNumber("count", notification.Count);
            WriteText(json, "title", notification.Title);
            WriteText(json, "body", notification.Body);
            json.WriteStartObject("evidence");
            foreach (var (name, value) in notification.Evidence)
            {
                json.WriteString(name, value);
            }

            json.WriteEndObject();
            WriteOptional(json, "link", notification.Link?.AbsoluteUri);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteText(Utf8JsonWriter json, string name, LocalizedText text)
    {
        json.WriteStartObject(name);
        json.WriteString("zh-CN", text.Chinese);
        json.WriteString("en", text.English);
        json.WriteEndObject();
    }
}

/// <summary>Checks on an address that must be an http(s) URL.</summary>
internal static class HttpTargets
{
    public static Uri Url(NotificationTarget target) =>
        Uri.TryCreate(target.Address, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)
            ? url
            : throw new InvalidTargetException($"the {target.Channel} address is not an http(s) URL");
}
