using System.Globalization;
using Xunit.Abstractions;

namespace EdgeSafety.Fuzz.Tests;

/// <summary>
/// A bounded fuzz run of every in-process target (docs/fuzzing.md): no input may make the code under test throw; each
/// outcome is an acceptance or a documented, counted rejection. The seed is fixed so that a failure here reproduces
/// with `./edgesafety fuzz --target T --seed S --case N`; set EDGESAFETY_FUZZ_SEED to explore other cases.
/// </summary>
public sealed class InProcessFuzzTests(ITestOutputHelper output)
{
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("EDGESAFETY_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : 20260701;

    /// <summary>Case counts sized so all targets together take well under a minute on a loaded 2-core machine.</summary>
    [Theory]
    [InlineData("readings", 4_000)]
    [InlineData("events", 4_000)]
    [InlineData("status", 4_000)]
    [InlineData("commands", 600)]
    [InlineData("registers", 2_000)]
    [InlineData("profiles", 3_000)]
    [InlineData("meter-csv", 150)]
    [InlineData("noise-csv", 600)]
    public void Hostile_inputs_are_accepted_or_rejected_with_a_counted_reason_never_a_crash(string name, int cases)
    {
        var target = FuzzTargets.Create(name);
        try
        {
            var result = new FuzzRunner(TextWriter.Null, crashDirectory: null).Run(target, cases, Seed);
            FuzzReport.Show(output, result);

            result.Crashes.Should().BeEmpty(FuzzReport.Crashes(result));
            result.Tally.Accepted.Should().BePositive("the mutations keep some inputs valid, so the accepted path is exercised too");
            result.Tally.RejectionCount.Should().BePositive();
        }
        finally
        {
            (target as IDisposable)?.Dispose();
        }
    }
}
