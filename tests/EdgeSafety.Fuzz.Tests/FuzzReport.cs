using Xunit.Abstractions;

namespace EdgeSafety.Fuzz.Tests;

/// <summary>Shows a fuzz run's figures in the test's output and on the console, so they appear in `./edgesafety test`.</summary>
internal static class FuzzReport
{
    public static void Show(ITestOutputHelper output, FuzzResult result)
    {
        var line = result.Summary();
        output.WriteLine(line);
        Console.WriteLine(line);
    }

    /// <summary>Why a run failed: each crash with what reproduces it.</summary>
    public static string Crashes(FuzzResult result) => string.Join("\n", result.Crashes.Select(c =>
        $"{c.Target} seed {c.Seed} case {c.Case}: {c.Error.Split('\n')[0]}\n  input: {FuzzRunner.Hex(c.Input.AsSpan(0, Math.Min(c.Input.Length, 512)))}"));
}
