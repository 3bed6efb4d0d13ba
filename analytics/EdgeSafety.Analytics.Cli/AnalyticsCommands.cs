using System.CommandLine;

namespace EdgeSafety.Analytics.Cli;

/// <summary>The analytics commands, one line each; their code is in their own files.</summary>
internal static class AnalyticsCommands
{
    public static IEnumerable<Command> All() =>
    [
        DetectCommand.Create(),
        TrainCommand.Create(),
        EvaluateCommand.Create(),
        NoiseCommand.Create(),
    ];
}
