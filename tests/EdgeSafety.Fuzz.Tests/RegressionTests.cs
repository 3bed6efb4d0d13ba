using Xunit.Abstractions;

namespace EdgeSafety.Fuzz.Tests;

/// <summary>
/// Inputs that once crashed a target (minimal forms of what the fuzzer found), each with the outcome it must have now:
/// the rejection the code documents, or acceptance with the bad part counted.
/// </summary>
public sealed class RegressionTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("readings--value-named-seq.bin", "invalid_value")]
    [InlineData("readings--value-named-time.bin", "invalid_value")]
    [InlineData("readings--invalid-utf8-in-a-string.bin", "not_json")]
    [InlineData("readings--unpaired-surrogate-escape.bin", "not_json")]
    [InlineData("events--unpaired-surrogate-escape-in-detail.bin", "not_json")]
    [InlineData("events--invalid-utf8-in-a-member-name.bin", "not_json")]
    [InlineData("commands--config-device-without-profile.bin", "config_refused")]
    [InlineData("commands--config-with-unpaired-surrogate-escape.bin", "not_json")]
    [InlineData("commands--warn-with-invalid-utf8-text.bin", "not_json")]
    [InlineData("registers--float32-nan-is-left-out.bin", "value left out: not a finite number")]
    [InlineData("registers--scale-overflows-to-infinity.bin", "no reading: no value is a finite number")]
    [InlineData("profiles--null-value-entry.bin", "fuzz.json: values[N] must be an object, not null")]
    [InlineData("noise-csv--year-one.bin", "line N: ts N-N-NTN:N:N.N+N:N is outside the years N to N")]
    [InlineData("noise-csv--last-millisecond-of-9999.bin", "line N: ts N-N-NTN:N:N.N+N:N is outside the years N to N")]
    public void A_saved_crash_input_now_ends_in_its_documented_outcome(string file, string rejection)
    {
        var target = FuzzTargets.Create(file.Split("--")[0]);
        try
        {
            var input = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Regressions", file));
            var tally = new Tally();

            var error = FuzzRunner.Execute(target, input, tally);
            output.WriteLine($"{file}: accepted {tally.Accepted}, rejected {string.Join(", ", tally.Rejections.Select(r => $"{r.Key} {r.Value}"))}");

            error.Should().BeNull();
            tally.Rejections.Should().ContainKey(rejection);
        }
        finally
        {
            (target as IDisposable)?.Dispose();
        }
    }

    [Fact]
    public void A_float32_nan_leaves_out_only_its_own_value_and_the_reading_is_published_with_the_rest()
    {
        var target = FuzzTargets.Create("registers");
        var tally = new Tally();

        FuzzRunner.Execute(target, File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Regressions", "registers--float32-nan-is-left-out.bin")), tally)
            .Should().BeNull();

        tally.Accepted.Should().Be(1, "the voltage is a number and is published");
        tally.Rejections.Should().Equal(new Dictionary<string, long> { ["value left out: not a finite number"] = 1 });
    }
}
