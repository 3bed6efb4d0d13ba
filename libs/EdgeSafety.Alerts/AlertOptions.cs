using System.ComponentModel.DataAnnotations;
using EdgeSafety.Alerts.Store;

namespace EdgeSafety.Alerts;

/// <summary>Section "Alerts": the alert engine's clocks, retry policy, registry file and store (docs/settings.md).</summary>
public sealed class AlertOptions : IValidatableObject
{
    /// <summary>An alert nobody acknowledged within this goes to the wardens of its area.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan AcknowledgeWithin { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A cleared alert whose condition returns within this is refreshed silently; after it, its people are told again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan FlapWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A unit that offends again (same kind) within this is flagged for enforcement.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "366.00:00:00")]
    public TimeSpan RepeatOffencePeriod { get; set; } = TimeSpan.FromDays(30);

    /// <summary>IANA time zone of quiet hours and of report days, weeks and months.</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>Alerts of this severity or above reach people during their quiet hours too.</summary>
    public AlertSeverity QuietHoursBypassSeverity { get; set; } = AlertSeverity.Critical;

    /// <summary>The registry JSON file seeded into the store at start (docs/alerts.md); empty keeps the stored registry.</summary>
    public string? RegistryPath { get; set; }

    /// <summary>How often due escalations and deliveries are looked for when nothing new wakes the engine.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an instance holds a delivery it is attempting; longer than the notification timeout.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan DeliveryLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Attempts of one delivery before it is given up as failed.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait after the first failure; it doubles with each further failure up to <see cref="RetryDelayMax"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryDelayMin { get; set; } = TimeSpan.FromSeconds(10);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan RetryDelayMax { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Deliveries attempted at the same time by one instance.</summary>
    [Range(1, 256)]
    public int MaxParallelDeliveries { get; set; } = 16;

    /// <summary>The dashboard's address, for the link in each notification; none: no link.</summary>
    public Uri? DashboardUrl { get; set; }

    public AlertStoreOptions Store { get; set; } = new();

    public AlertTimings Timings => new(AcknowledgeWithin, FlapWindow, RepeatOffencePeriod);

    private static string? RegistryError(string path)
    {
        if (!File.Exists(path))
        {
            return $"the file '{path}' does not exist or cannot be read.";
        }

        try
        {
            RegistryDocument.Load(path);
            return null;
        }
        catch (InvalidDataException ex)
        {
            return ex.Message;
        }
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return new ValidationResult($"'{TimeZone}' is not a time zone known to this machine.", [nameof(TimeZone)]);
        }

        if (RetryDelayMax < RetryDelayMin)
        {
            yield return new ValidationResult("RetryDelayMax must not be less than RetryDelayMin.", [nameof(RetryDelayMin), nameof(RetryDelayMax)]);
        }

        if (!string.IsNullOrEmpty(RegistryPath) && RegistryError(RegistryPath) is { } error)
        {
            yield return new ValidationResult(error, [nameof(RegistryPath)]);
        }
    }
}
