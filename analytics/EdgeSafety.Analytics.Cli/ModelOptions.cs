using System.CommandLine;

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
}
