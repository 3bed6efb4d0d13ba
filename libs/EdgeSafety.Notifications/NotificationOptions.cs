using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;

namespace EdgeSafety.Notifications;

/// <summary>
/// The "Notifications" settings. A channel with no settings is off: a notification for it fails permanently
/// with "channel not configured". Secrets come from the environment (Notifications__Webhook__Secret, ...) or
/// from an owner-only file (0600) named by the matching *File setting; they are never logged.
/// </summary>
public sealed class NotificationOptions
{
    /// <summary>Longest one delivery attempt may take, connection included.</summary>
    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>IANA time zone in which texts give times (the webhook JSON and push payload carry UTC).</summary>
    [TimeZoneId]
    public string TimeZone { get; set; } = "Asia/Shanghai";

    public WebhookOptions Webhook { get; set; } = new();

    public EmailOptions Email { get; set; } = new();

    public SmsOptions Sms { get; set; } = new();

    public WebPushOptions WebPush { get; set; } = new();

    /// <summary>
    /// A secret setting's value: given directly, or read from the file named by its *File setting, which must be
    /// owner-only as every secret file of EdgeSafety (<see cref="Mqtt.SecretFile"/>).
    /// </summary>
    internal static string? ReadSecret(string? value, string? file) =>
        !string.IsNullOrEmpty(value) ? value : string.IsNullOrEmpty(file) ? null : Mqtt.SecretFile.Read(file).Trim();

    internal static IEnumerable<ValidationResult> CheckSecretFile(string? file, string setting)
    {
        if (!string.IsNullOrEmpty(file) && Mqtt.SecretFile.Problem(file) is { } problem)
        {
            yield return new ValidationResult(problem, [setting]);
        }
    }
}

/// <summary>An attribute, not IValidatableObject, so it is checked together with the other attributes of its class.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class TimeZoneIdAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is string id && TimeZoneInfo.TryFindSystemTimeZoneById(id, out _)
            ? ValidationResult.Success
            : new ValidationResult($"'{value}' is not a time zone known to this machine (an IANA name such as Asia/Shanghai).",
                [validationContext.MemberName!]);
}

public sealed class WebhookOptions : IValidatableObject
{
    /// <summary>HMAC-SHA256 key of X-EdgeSafety-Signature; a target's own secret takes its place.</summary>
    public string? Secret { get; set; }

    public string? SecretFile { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        NotificationOptions.CheckSecretFile(SecretFile, nameof(SecretFile));
}

public enum SmtpSecurity
{
    /// <summary>Plain SMTP: only to a relay on the same host or a trusted network.</summary>
    None,

    /// <summary>STARTTLS after connecting (port 587); the server's certificate must be valid.</summary>
    StartTls,
}

public sealed class EmailOptions : IValidatableObject
{
    /// <summary>SMTP server; e-mail is off without it.</summary>
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    public string? Username { get; set; }

    public string? Password { get; set; }

    public string? PasswordFile { get; set; }

    /// <summary>Sender address, e.g. alerts@example.org.</summary>
    public string? From { get; set; }

    public string FromName { get; set; } = "EdgeSafety";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(Host) && string.IsNullOrWhiteSpace(From))
        {
            yield return new ValidationResult("From is required when Host is set.", [nameof(From)]);
        }

        foreach (var failure in NotificationOptions.CheckSecretFile(PasswordFile, nameof(PasswordFile)))
        {
            yield return failure;
        }
    }
}

public sealed class SmsOptions : IValidatableObject
{
    /// <summary>The gateway's URL; {phone}, {text} and {apiKey} are replaced (URL-encoded). SMS is off without it.</summary>
    public string? Url { get; set; }

    public string Method { get; set; } = "POST";

    /// <summary>Request headers; values may use {apiKey}, e.g. "Authorization": "Bearer {apiKey}".</summary>
    public Dictionary<string, string> Headers { get; set; } = [];

    /// <summary>Request body; {phone}, {text} and {apiKey} are replaced, escaped for <see cref="ContentType"/>.</summary>
    public string? BodyTemplate { get; set; }

    /// <summary>application/json (placeholders JSON-escaped), application/x-www-form-urlencoded (URL-encoded) or text/plain.</summary>
    public string ContentType { get; set; } = "application/json";

    public string? ApiKey { get; set; }

    public string? ApiKeyFile { get; set; }

    /// <summary>When set, a 2xx reply counts as sent only if its body contains this text, e.g. "\"code\":0".</summary>
    public string? SuccessBodyContains { get; set; }

    /// <summary>Longest text sent, in characters; longer texts are cut with an ellipsis.</summary>
    [Range(20, 1000)]
    public int MaxTextLength { get; set; } = 300;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var failure in NotificationOptions.CheckSecretFile(ApiKeyFile, nameof(ApiKeyFile)))
        {
            yield return failure;
        }

        if (string.IsNullOrWhiteSpace(Url))
        {
            yield break;
        }

        if (!Uri.TryCreate(Url.Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            yield return new ValidationResult("Url must be an absolute http or https URL.", [nameof(Url)]);
        }

        if (Method is not ("GET" or "POST" or "PUT"))
        {
            yield return new ValidationResult("Method must be GET, POST or PUT.", [nameof(Method)]);
        }

        if (Method != "GET" && string.IsNullOrEmpty(BodyTemplate))
        {
            yield return new ValidationResult("BodyTemplate is required unless Method is GET.", [nameof(BodyTemplate)]);
        }
    }
}

public sealed class WebPushOptions : IValidatableObject
{
    /// <summary>
    /// VAPID contact (RFC 8292 "sub"): mailto:ops@example.org or an https URL. Web Push is off without it.
    /// </summary>
    public string? Subject { get; set; }

    /// <summary>The VAPID private key: base64url of the 32-byte P-256 scalar (as web-push generate-vapid-keys prints it).</summary>
    public string? PrivateKey { get; set; }

    /// <summary>A file with the private key, either as base64url or as a PEM "EC PRIVATE KEY" / "PRIVATE KEY".</summary>
    public string? PrivateKeyFile { get; set; }

    /// <summary>How long a push service keeps a message for an offline browser.</summary>
    [Range(0, 2419200)]
    public int TtlSeconds { get; set; } = 86400;

    /// <summary>The VAPID public key browsers subscribe with (base64url), or null when Web Push is off.</summary>
    public string? PublicKey() => string.IsNullOrWhiteSpace(Subject) || ReadPrivateKey() is not { } privateKey ? null : VapidKeys.PublicKeyOf(privateKey);

    private string? ReadPrivateKey() => NotificationOptions.ReadSecret(PrivateKey, PrivateKeyFile);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var unreadable = false;
        foreach (var failure in NotificationOptions.CheckSecretFile(PrivateKeyFile, nameof(PrivateKeyFile)))
        {
            unreadable = true;
            yield return failure;
        }

        if (string.IsNullOrWhiteSpace(Subject) || unreadable)
        {
            yield break;
        }

        if (!Subject.StartsWith("mailto:", StringComparison.Ordinal) && !Subject.StartsWith("https://", StringComparison.Ordinal))
        {
            yield return new ValidationResult("Subject must start with mailto: or https://.", [nameof(Subject)]);
        }

        if (string.IsNullOrWhiteSpace(PrivateKey) == string.IsNullOrWhiteSpace(PrivateKeyFile))
        {
            yield return new ValidationResult("Exactly one of PrivateKey and PrivateKeyFile is required when Subject is set.", [nameof(PrivateKey)]);
            yield break;
        }

        var setting = string.IsNullOrWhiteSpace(PrivateKey) ? nameof(PrivateKeyFile) : nameof(PrivateKey);
        string? problem = null;
        try
        {
            VapidKeys.PublicKeyOf(NotificationOptions.ReadSecret(PrivateKey, PrivateKeyFile)!);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentException or IOException)
        {
            problem = ex.Message;
        }

        if (problem is not null)
        {
            // The message of a key that does not parse never contains the key.
            yield return new ValidationResult($"not a P-256 private key (base64url or PEM): {problem}", [setting]);
        }
    }
}
