using System.ComponentModel.DataAnnotations;
using EdgeSafety.Analytics.Charging;

namespace EdgeSafety.Ingest.Analysis;

/// <summary>The e-bike charging analyser's settings (section "Charging").</summary>
public sealed class ChargingOptions : IValidatableObject
{
    /// <summary>Folder of ebike-&lt;tier&gt;.json; by default the committed models, copied beside the program.</summary>
    [Required]
    public string ModelsDirectory { get; set; } = Path.Combine(AppContext.BaseDirectory, "models");

    /// <summary>Confirmation, end and 'unusually long' settings of the detector (docs/settings.md).</summary>
    [Required]
    public ChargingDetectorOptions Detector { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var basic = Path.Combine(ModelsDirectory, ChargingModels.FileName(MeterTier.Basic));
        if (!File.Exists(basic))
        {
            yield return new ValidationResult($"The models folder {Path.GetFullPath(ModelsDirectory)} has no {ChargingModels.FileName(MeterTier.Basic)}.", [nameof(ModelsDirectory)]);
        }
    }
}
