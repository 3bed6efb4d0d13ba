using System.Buffers.Binary;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace EdgeSafety.Notifications;

/// <summary>A VAPID key pair as base64url: the public key is the 65-byte uncompressed P-256 point the browser's
/// pushManager.subscribe() takes as applicationServerKey; the private key is the 32-byte scalar.</summary>
public sealed record VapidKeyPair(string PublicKey, string PrivateKey);

/// <summary>VAPID keys (RFC 8292): generate a pair once per installation, keep the private key secret.</summary>
public static class VapidKeys
{
    public static VapidKeyPair Generate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = key.ExportParameters(includePrivateParameters: true);
        return new VapidKeyPair(Base64Url.EncodeToString(PublicPoint(parameters)), Base64Url.EncodeToString(parameters.D));
    }

    /// <summary>The public key (base64url) belonging to a private key given as base64url or PEM.</summary>
    public static string PublicKeyOf(string privateKey)
    {
        using var key = Load(privateKey);
        return Base64Url.EncodeToString(PublicPoint(key.ExportParameters(false)));
    }

    /// <summary>A private key from its base64url scalar or from PEM ("EC PRIVATE KEY" or PKCS#8 "PRIVATE KEY").</summary>
    internal static ECDsa Load(string privateKey)
    {
        var text = privateKey.Trim();
        var key = ECDsa.Create();
        if (text.StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            key.ImportFromPem(text);
        }
        else
        {
            var d = Base64Url.DecodeFromChars(text);
            if (d.Length != 32)
            {
                key.Dispose();
                throw new CryptographicException("a VAPID private key is 32 bytes (43 base64url characters)");
            }

            key.ImportParameters(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = d });
        }

        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new CryptographicException("a VAPID key must be on the P-256 curve");
        }

        return key;
    }

    /// <summary>The uncompressed point 0x04 || X || Y.</summary>
    internal static byte[] PublicPoint(ECParameters parameters) => [0x04, .. parameters.Q.X!, .. parameters.Q.Y!];
}

/// <summary>
/// RFC 8291 message encryption for Web Push with the "aes128gcm" content coding of RFC 8188: an ephemeral
/// ECDH P-256 key agreed with the subscription's p256dh key, HKDF-SHA256 keyed by its auth secret, one
/// AES-128-GCM record.
/// </summary>
internal static class WebPushEncryption
{
    public const int DefaultRecordSize = 4096;
    private const int TagSize = 16;

    /// <summary>
    /// The message body: salt(16) || rs(4, big-endian) || idlen(1) = 65 || the sender's public key(65) || the
    /// single record (plaintext, the 0x02 last-record delimiter, AES-GCM tag).
    /// </summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> userAgentPublicKey, ReadOnlySpan<byte> authSecret,
        ECDiffieHellman senderKey, ReadOnlySpan<byte> salt, int recordSize = DefaultRecordSize)
    {
        if (userAgentPublicKey.Length != 65 || userAgentPublicKey[0] != 0x04)
        {
            throw new InvalidTargetException("p256dh is not an uncompressed P-256 point (65 bytes starting 0x04)");
        }

        if (authSecret.Length != 16)
        {
            throw new InvalidTargetException("auth is not 16 bytes");
        }

        if (plaintext.Length + 1 + TagSize > recordSize)
        {
            throw new ArgumentException($"the payload ({plaintext.Length} bytes) does not fit one record of {recordSize} bytes");
        }

        using var userAgentKey = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = userAgentPublicKey[1..33].ToArray(), Y = userAgentPublicKey[33..].ToArray() },
        });
        var senderPublicKey = VapidKeys.PublicPoint(senderKey.ExportParameters(false));
        var ecdhSecret = senderKey.DeriveRawSecretAgreement(userAgentKey.PublicKey);

        // RFC 8291 section 3.4: IKM = HKDF(salt = auth_secret, ikm = ecdh_secret, info = "WebPush: info" || 0x00 || ua_public || as_public, L = 32).
        byte[] keyInfo = [.. "WebPush: info\0"u8, .. userAgentPublicKey, .. senderPublicKey];
        var ikm = HKDF.DeriveKey(HashAlgorithmName.SHA256, ecdhSecret, 32, authSecret.ToArray(), keyInfo);

        // RFC 8188 section 2.2 and 2.3: the content-encryption key and nonce from the message's salt.
        var prk = HKDF.Extract(HashAlgorithmName.SHA256, ikm, salt.ToArray());
        var contentKey = HKDF.Expand(HashAlgorithmName.SHA256, prk, 16, "Content-Encoding: aes128gcm\0"u8.ToArray());
        var nonce = HKDF.Expand(HashAlgorithmName.SHA256, prk, 12, "Content-Encoding: nonce\0"u8.ToArray());

        var header = 16 + 4 + 1 + senderPublicKey.Length;
        var body = new byte[header + plaintext.Length + 1 + TagSize];
        salt.CopyTo(body);
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(16), (uint)recordSize);
        body[20] = (byte)senderPublicKey.Length;
        senderPublicKey.CopyTo(body.AsSpan(21));

        // One record, the last: plaintext then the delimiter 0x02 (no padding); the sequence number 0 leaves the nonce as is.
        var padded = new byte[plaintext.Length + 1];
        plaintext.CopyTo(padded);
        padded[^1] = 0x02;
        using var aes = new AesGcm(contentKey, TagSize);
        aes.Encrypt(nonce, padded, body.AsSpan(header, padded.Length), body.AsSpan(header + padded.Length, TagSize));
        return body;
    }
}

/// <summary>
/// VAPID (RFC 8292): a JWT signed with ES256 whose audience is the push service's origin, sent as
/// <c>Authorization: vapid t=JWT, k=PUBLIC_KEY</c>. A token is reused for its origin until an hour before it expires.
/// </summary>
internal sealed class VapidSigner(ECDsa key, string subject, TimeProvider clock)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);
    private static readonly TimeSpan RenewBefore = TimeSpan.FromHours(1);
    private readonly string _publicKey = Base64Url.EncodeToString(VapidKeys.PublicPoint(key.ExportParameters(false)));
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset Expires)> _tokens = new();

    public string PublicKey => _publicKey;

    public string AuthorizationValue(Uri endpoint)
    {
        var audience = endpoint.GetLeftPart(UriPartial.Authority);
        var now = clock.GetUtcNow();
        if (!_tokens.TryGetValue(audience, out var cached) || cached.Expires - now < RenewBefore)
        {
            cached = (Token(audience, now + Lifetime), now + Lifetime);
            _tokens[audience] = cached;
        }

        return $"vapid t={cached.Token}, k={_publicKey}";
    }

    private string Token(string audience, DateTimeOffset expires)
    {
        var header = Base64Url.EncodeToString("""{"typ":"JWT","alg":"ES256"}"""u8);
        var claims = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["aud"] = audience,
            ["exp"] = expires.ToUnixTimeSeconds(),
            ["sub"] = subject,
        }));
        var signingInput = $"{header}.{claims}";
        // ES256 is the raw r || s of 64 bytes (RFC 7518 section 3.4), .NET's default IEEE P1363 format.
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        return $"{signingInput}.{Base64Url.EncodeToString(signature)}";
    }
}

/// <summary>
/// Web Push (RFC 8030) to a browser's subscription: the payload is a small JSON object the dashboard's service
/// worker shows (docs/notifications.md), encrypted per RFC 8291 and authorised with VAPID. 201 (or any 2xx) means
/// the push service took it; 404 and 410 mean the subscription is gone and must be removed.
/// </summary>
internal sealed class WebPushChannel : INotificationChannel
{
    private static readonly JsonSerializerOptions PayloadJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly Func<HttpClient> _http;
    private readonly WebPushOptions _options;
    private readonly VapidSigner? _vapid;

    public WebPushChannel(Func<HttpClient> http, WebPushOptions options, TimeProvider clock)
    {
        _http = http;
        _options = options;
        if (!string.IsNullOrWhiteSpace(options.Subject))
        {
            var key = VapidKeys.Load(NotificationOptions.ReadSecret(options.PrivateKey, options.PrivateKeyFile)!);
            _vapid = new VapidSigner(key, options.Subject, clock);
        }
    }

    public NotificationChannel Channel => NotificationChannel.WebPush;

    public bool IsConfigured => _vapid is not null;

    public async Task<DeliveryOutcome> SendAsync(NotificationTarget target, AlertNotification notification, CancellationToken cancellationToken)
    {
        var endpoint = Uri.TryCreate(target.Address, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.IsLoopback)
            ? url
            : throw new InvalidTargetException("the push endpoint is not an https URL");
        var keys = target.PushKeys ?? throw new InvalidTargetException("the push subscription has no keys");

        var payload = JsonSerializer.SerializeToUtf8Bytes(new WebPushPayload(
            notification.NotificationId,
            notification.AlertId,
            notification.Kind,
            notification.Severity,
            notification.State,
            notification.Title.In(target.Language),
            notification.Body.In(target.Language),
            notification.Link?.AbsoluteUri), PayloadJson);
        byte[] body;
        using (var senderKey = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256))
        {
            body = WebPushEncryption.Encrypt(payload, Base64Url.DecodeFromChars(keys.P256dh), Base64Url.DecodeFromChars(keys.Auth),
                senderKey, RandomNumberGenerator.GetBytes(16));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Content.Headers.ContentEncoding.Add("aes128gcm");
        request.Headers.TryAddWithoutValidation("Authorization", _vapid!.AuthorizationValue(endpoint));
        request.Headers.Add("TTL", _options.TtlSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("Urgency", Urgency(notification.Severity));
        if (Topic(notification.AlertId) is { } topic)
        {
            request.Headers.Add("Topic", topic);
        }

        using var response = await _http().SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return DeliveryOutcomes.Delivered((int)response.StatusCode);
        }

        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            return DeliveryOutcomes.Permanent($"subscription gone (HTTP {(int)response.StatusCode}): remove it", (int)response.StatusCode);
        }

        return await DeliveryOutcomes.FromFailedResponseAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>RFC 8030 section 5.3: critical alerts wake the device, the rest wait for a convenient moment.</summary>
    private static string Urgency(string severity) => severity switch
    {
        "critical" => "high",
        "info" => "low",
        _ => "normal",
    };

    /// <summary>
    /// RFC 8030 section 5.4: a newer message with the same topic replaces one still waiting at the push service, so
    /// a phone that was off gets the alert's latest state once. A topic is at most 32 base64url characters.
    /// </summary>
    private static string? Topic(string alertId) =>
        alertId.Length is > 0 and <= 32 && alertId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? alertId : null;

    private sealed record WebPushPayload(
        string NotificationId, string AlertId, string Kind, string Severity, string State, string Title, string Body, string? Url);
}
