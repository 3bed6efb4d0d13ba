namespace EdgeSafety.Analytics.Tests;

/// <summary>The built analytics command line (`edgesafety detect|evaluate|...`) run as its own process, as a user runs it.</summary>
internal static class AnalyticsCommandLine
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(3);

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string workingDirectory, params string[] arguments)
    {
        // Test and command-line outputs are siblings under artifacts/bin/{project}/{configuration}.
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var cli = Path.Combine(testOutput.Parent!.Parent!.FullName, "EdgeSafety.Analytics.Cli", testOutput.Name, "edgesafety-analytics.dll");
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("dotnet", [cli, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Bound);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
