using System.CommandLine;
using EdgeSafety.Analytics.Cli;

// Each command lives in its own file and adds itself here; `./edgesafety COMMAND ...` forwards to this program.
var root = new RootCommand("EdgeSafety analytics: offline detection and audits on CSV files, model training and evaluation.");
foreach (var command in AnalyticsCommands.All())
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync();
