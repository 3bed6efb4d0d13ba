using System.ComponentModel.DataAnnotations;

namespace EdgeSafety.Dashboard;

/// <summary>The dashboard's own settings (section Dashboard); the shared store, broker and InfluxDB have their own sections.</summary>
public sealed class DashboardOptions : IValidatableObject
{
    /// <summary>Accounts, sign-in failures and the audit log (SQLite); relative to the program's folder.</summary>
    [Required]
    public string StorePath { get; set; } = "/var/lib/edgesafety/dashboard.db";

    /// <summary>
    /// The data-protection key ring, "keys" beside the store: its keys sign the session cookies and the antiforgery
    /// tokens, so whoever reads them can sign in as anyone. Created 0700; the framework writes each key 0600
    /// (<see cref="Access.KeyRing"/> checks both at start).
    /// </summary>
    public string KeyRingPath => Path.Combine(Path.GetDirectoryName(StorePath)!, "keys");

    /// <summary>How often the alert store is looked at for changes to push to open pages.</summary>
    public TimeSpan AlertPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a command to a gateway waits for its reply.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Larger request bodies are refused (413).</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>A session ends after this long without a request.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    public LockoutOptions Lockout { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AlertPollInterval < TimeSpan.FromMilliseconds(50) || AlertPollInterval > TimeSpan.FromSeconds(10))
        {
            yield return new ValidationResult("must be between 50 ms and 10 s.", [nameof(AlertPollInterval)]);
        }

        if (CommandTimeout < TimeSpan.FromSeconds(1) || CommandTimeout > TimeSpan.FromMinutes(5))
        {
            yield return new ValidationResult("must be between 1 s and 5 min.", [nameof(CommandTimeout)]);
        }

        if (SessionLifetime < TimeSpan.FromMinutes(5))
        {
            yield return new ValidationResult("must be at least 5 minutes.", [nameof(SessionLifetime)]);
        }
    }
}

/// <summary>Sign-in lockout: per account (the name typed, known or not) and per client address.</summary>
public sealed class LockoutOptions : IValidatableObject
{
    [Range(1, 100)]
    public int MaxFailures { get; set; } = 5;

    [Range(1, 10_000)]
    public int MaxFailuresPerAddress { get; set; } = 20;

    /// <summary>Failures older than this do not count.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a locked account stays locked.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Window <= TimeSpan.Zero)
        {
            yield return new ValidationResult("must be positive.", [nameof(Window)]);
        }

        if (Duration <= TimeSpan.Zero)
        {
            yield return new ValidationResult("must be positive.", [nameof(Duration)]);
        }
    }
}
