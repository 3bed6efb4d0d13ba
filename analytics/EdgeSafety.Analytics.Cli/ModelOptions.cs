using System.CommandLine;
using EdgeSafety.Analytics.Charging;
using EdgeSafety.XGBoost;

namespace EdgeSafety.Analytics.Cli;

/// <summary>The --models option of the charging commands: where the ebike-&lt;tier&gt;.json models are.</summary>
internal static class ModelOptions
{
    /// <summary>The committed models are copied beside the program (analytics/models in the repository).</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "models");

    public static Option<DirectoryInfo> Directory() => new("--models")
    {
        Description = "Folder of the ebike-<tier>.json models (default: the committed models, copied beside the program)",
        DefaultValueFactory = _ => new DirectoryInfo(DefaultDirectory),
    };

    /// <summary>Loads the models, or says on standard error why they cannot be used (the caller exits with 2).</summary>
    public static ChargingModels? TryLoad(DirectoryInfo directory)
    {
        try
        {
            return ChargingModels.Load(directory.FullName);
        }
        catch (Exception ex) when (ex is XGBoostException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return null;
        }
    }
}
