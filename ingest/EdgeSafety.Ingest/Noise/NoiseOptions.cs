using System.ComponentModel.DataAnnotations;

namespace EdgeSafety.Ingest.Noise;

/// <summary>
/// The noise rules' settings (section "Noise"; docs/settings.md, docs/noise.md). A sensor's settings are layered:
/// the built-in defaults, then <see cref="Defaults"/>, then its preset, then its own entry in <see cref="Sensors"/>;
/// its calendar and zone table are its site's. Every noise sensor is monitored, listed or not.
/// </summary>
public sealed class NoiseOptions : IValidatableObject
{
    /// <summary>Time zone (IANA) of sites without their own entry.</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>Local time the day period starts (GB 3096-2008: 06:00).</summary>
    public string DayStart { get; set; } = "06:00";

    /// <summary>Local time the night period starts (GB 3096-2008: 22:00).</summary>
    public string NightStart { get; set; } = "22:00";

    /// <summary>Sites with their own time zone, periods or zone-class limits, as their local government sets them.</summary>
    public List<NoiseSiteOptions> Sites { get; set; } = [];

    /// <summary>Rule settings for every sensor; a zone class (or own limits) is required here.</summary>
    public NoiseRuleOptions Defaults { get; set; } = new();

    /// <summary>Named sets of rule settings that sensors share.</summary>
    public List<NoisePresetOptions> Presets { get; set; } = [];

    /// <summary>Sensors with a preset or settings of their own; the first entry that matches a sensor applies.</summary>
    public List<NoiseSensorOptions> Sensors { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        NoiseSettingsCatalog.Problems(this).Select(p => new ValidationResult(p.Problem, [p.Member]));
}

/// <summary>Rule settings; unset ones come from the layer below (see <see cref="NoiseOptions"/>).</summary>
public class NoiseRuleOptions
{
    /// <summary>GB 3096-2008 zone class: 0, 1, 2, 3, 4a or 4b.</summary>
    public string? Zone { get; set; }

    /// <summary>Own limits instead of the zone class's (both or neither).</summary>
    [Range(20, 120)]
    public double? DayLimitDb { get; set; }

    [Range(20, 120)]
    public double? NightLimitDb { get; set; }

    /// <summary>Local hours with a stricter limit (by default the night limit).</summary>
    public List<QuietHoursOptions>? QuietHours { get; set; }

    [Range(1, 60)]
    public int? RuleWindowMinutes { get; set; }

    [Range(1, 100)]
    public int? Persistence { get; set; }

    [Range(0, 30)]
    public double? ClearMarginDb { get; set; }

    [Range(1, 100)]
    public int? ClearPersistence { get; set; }

    [Range(0, 60)]
    public double? BurstMarginDb { get; set; }

    [Range(0, 1440)]
    public int? WarningIntervalMinutes { get; set; }

    [Range(0, 1440)]
    public int? EscalateAfterMinutes { get; set; }

    [Range(1, 3600)]
    public int? MaxSampleHoldSeconds { get; set; }

    [Range(0.0, 1.0)]
    public double? MinimumCoverage { get; set; }

    /// <summary>The key of the warning recorded in the gateway's configuration (its Warning:Messages) to play.</summary>
    public string? WarningMessage { get; set; }

    /// <summary>Free text to speak instead, where the gateway allows it (Warning:AllowFreeText).</summary>
    [StringLength(200, MinimumLength = 1)]
    public string? WarningText { get; set; }
}

public sealed class NoisePresetOptions : NoiseRuleOptions
{
    [Required]
    public string Name { get; set; } = string.Empty;
}

public sealed class NoiseSensorOptions : NoiseRuleOptions
{
    /// <summary>The sensor's device id; with Site and Gateway when the id is not unique across them.</summary>
    [Required]
    public string Device { get; set; } = string.Empty;

    public string? Site { get; set; }

    public string? Gateway { get; set; }

    public string? Preset { get; set; }
}

public sealed class QuietHoursOptions
{
    [Required]
    public string Start { get; set; } = string.Empty;

    [Required]
    public string End { get; set; } = string.Empty;

    [Range(20, 120)]
    public double? LimitDb { get; set; }
}

public sealed class NoiseSiteOptions
{
    [Required]
    public string Id { get; set; } = string.Empty;

    public string? TimeZone { get; set; }

    public string? DayStart { get; set; }

    public string? NightStart { get; set; }

    /// <summary>Zone classes whose limits this site's local government has changed.</summary>
    public List<ZoneLimitOptions> ZoneLimits { get; set; } = [];
}

public sealed class ZoneLimitOptions
{
    [Required]
    public string Zone { get; set; } = string.Empty;

    [Range(20, 120)]
    public double DayDb { get; set; }

    [Range(20, 120)]
    public double NightDb { get; set; }
}
