using System.ComponentModel.DataAnnotations;

namespace EdgeSafety.Mqtt;

/// <summary>Connection settings, bound from configuration by the services and validated when a client is created.</summary>
public sealed class MqttClientOptions : IValidatableObject
{
    [Required]
    public string Host { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int Port { get; set; } = 1883;

    /// <summary>Empty: the broker assigns one (only with <see cref="CleanSession"/>).</summary>
    public string ClientId { get; set; } = "";

    /// <summary>False keeps the subscriptions and queued QoS 1 messages at the broker while the client is away; needs a <see cref="ClientId"/>.</summary>
    public bool CleanSession { get; set; } = true;

    public string? Username { get; set; }

    /// <summary>From the environment (Mqtt__Password) or a root-only environment file, never a committed file. Never logged.</summary>
    public string? Password { get; set; }

    /// <summary>
    /// A file holding the password instead of <see cref="Password"/>: owner-only (0600), else the client refuses it
    /// (<see cref="SecretFile"/>). This is where `EdgeSafety.EdgeAgent enrol` puts a gateway's password.
    /// </summary>
    public string? PasswordFile { get; set; }

    /// <summary>
    /// PEM file of the CA certificate(s) the broker's certificate must chain to. Set: the connection uses TLS, and the
    /// broker's certificate must also name <see cref="Host"/> (DNS name or IP address). Null: plain TCP.
    /// </summary>
    public string? TlsCaFile { get; set; }

    /// <summary>PEM client certificate, for a broker that requires one (require_certificate); with <see cref="TlsKeyFile"/>.</summary>
    public string? TlsCertFile { get; set; }

    /// <summary>PEM private key of <see cref="TlsCertFile"/>, not encrypted: owner-only (0600, the service's user), checked as a <see cref="SecretFile"/>.</summary>
    public string? TlsKeyFile { get; set; }

    /// <summary>libmosquitto accepts 5 to 65535 seconds (mosquitto_connect_async).</summary>
    [Range(5, 65535)]
    public int KeepAliveSeconds { get; set; } = 30;

    /// <summary>Wait before the first reconnect; doubled after each failed attempt up to the maximum.</summary>
    [Range(1, 3600)]
    public int ReconnectDelayMinSeconds { get; set; } = 1;

    [Range(1, 3600)]
    public int ReconnectDelayMaxSeconds { get; set; } = 30;

    /// <summary>
    /// QoS 1 publishes sent but not yet acknowledged by the broker; PublishAsync waits beyond this. Capped well below
    /// the 65,535 message ids: near that, delivery broke in our measurements (shared/platform-notes.md).
    /// </summary>
    [Range(1, 10000)]
    public int MaxInflightMessages { get; set; } = 100;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!CleanSession && string.IsNullOrEmpty(ClientId))
        {
            yield return new ValidationResult(
                "A persistent session (CleanSession = false) needs a ClientId.", [nameof(ClientId), nameof(CleanSession)]);
        }

        if (ReconnectDelayMaxSeconds < ReconnectDelayMinSeconds)
        {
            yield return new ValidationResult(
                "ReconnectDelayMaxSeconds must not be less than ReconnectDelayMinSeconds.",
                [nameof(ReconnectDelayMinSeconds), nameof(ReconnectDelayMaxSeconds)]);
        }

        if (Password is not null && Username is null)
        {
            yield return new ValidationResult("A Password needs a Username.", [nameof(Username), nameof(Password)]);
        }

        if (PasswordFile is not null)
        {
            if (Password is not null)
            {
                yield return new ValidationResult("Set Password or PasswordFile, not both.", [nameof(Password), nameof(PasswordFile)]);
            }

            if (Username is null)
            {
                yield return new ValidationResult("A PasswordFile needs a Username.", [nameof(Username), nameof(PasswordFile)]);
            }

            if (SecretFile.Problem(PasswordFile) is { } problem)
            {
                yield return new ValidationResult(problem, [nameof(PasswordFile)]);
            }
        }

        if ((TlsCertFile is null) != (TlsKeyFile is null))
        {
            yield return new ValidationResult("TlsCertFile and TlsKeyFile go together: set both or neither.", [nameof(TlsCertFile), nameof(TlsKeyFile)]);
        }

        if (TlsCertFile is not null && TlsCaFile is null)
        {
            yield return new ValidationResult("A client certificate needs TLS: set TlsCaFile too.", [nameof(TlsCaFile)]);
        }

        foreach (var (name, path) in new[] { (nameof(TlsCaFile), TlsCaFile), (nameof(TlsCertFile), TlsCertFile) })
        {
            if (path is not null && CannotRead(path) is { } problem)
            {
                yield return new ValidationResult($"{name} '{path}' cannot be read: {problem}", [name]);
            }
        }

        // The private key is a secret like the password: owner-only, or the service does not start.
        if (TlsKeyFile is not null && SecretFile.Problem(TlsKeyFile) is { } keyProblem)
        {
            yield return new ValidationResult(keyProblem, [nameof(TlsKeyFile)]);
        }
    }

    /// <summary>The most common field mistakes: a wrong path, or a root-only file and a service running as its own user.</summary>
    private static string? CannotRead(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return ex.Message;
        }
    }
}
