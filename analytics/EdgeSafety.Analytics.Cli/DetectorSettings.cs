using System.ComponentModel.DataAnnotations;
using System.Globalization;
using EdgeSafety.Analytics.Charging;

namespace EdgeSafety.Analytics.Cli;

/// <summary>
/// Detector settings given on the command line as NAME=VALUE, named as in ingest's Charging:Detector section and
/// validated by the same attributes: a setting that ingest would refuse is refused here too.
/// </summary>
internal static class DetectorSettings
{
    /// <summary>The defaults with the given settings applied; an unknown name, a bad number or a value out of range is an <see cref="ArgumentException"/>.</summary>
    public static ChargingDetectorOptions Parse(IEnumerable<string> settings)
    {
        var options = new ChargingDetectorOptions();
        foreach (var setting in settings)
        {
            var equals = setting.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? setting : setting[..equals];
            var property = typeof(ChargingDetectorOptions).GetProperty(name.Trim(), System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase)
                ?? throw new ArgumentException($"Unknown detector setting \"{name}\"; the settings are {string.Join(", ", typeof(ChargingDetectorOptions).GetProperties().Select(p => p.Name))}.");
            if (equals < 0)
            {
                throw new ArgumentException($"Detector setting \"{setting}\" has no value: write {property.Name}=VALUE.");
            }

            try
            {
                property.SetValue(options, Convert.ChangeType(setting[(equals + 1)..].Trim(), property.PropertyType, CultureInfo.InvariantCulture));
            }
            catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException)
            {
                throw new ArgumentException($"Detector setting {property.Name}: \"{setting[(equals + 1)..]}\" is not a {property.PropertyType.Name}.", ex);
            }
        }

        var errors = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true))
        {
            throw new ArgumentException(string.Join(" ", errors.Select(e => e.ErrorMessage)));
        }

        return options;
    }
}
