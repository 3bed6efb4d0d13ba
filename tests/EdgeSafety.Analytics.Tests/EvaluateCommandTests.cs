using EdgeSafety.TestSupport;

namespace EdgeSafety.Analytics.Tests;

/// <summary>`edgesafety evaluate` as a user runs it: where its figures go.</summary>
public sealed class EvaluateCommandTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new("evaluate");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Recording_and_replaying_write_a_report_folder_only_when_one_is_given()
    {
        var recording = _directory.Combine("checkpoints.txt");
        var rewritten = _directory.Combine("replayed.txt");

        var (recorded, recordOutput, recordError) = await AnalyticsCommandLine.RunAsync(_directory.Path,
            "evaluate", "--households", "1", "--days", "0.2", "--record", recording, "--report", _directory.Combine("recorded"));
        var (replayed, replayOutput, replayError) = await AnalyticsCommandLine.RunAsync(_directory.Path, "evaluate", "--replay", recording, "--record", rewritten);

        recorded.Should().Be(0, recordError);
        replayed.Should().Be(0, replayError);
        File.ReadAllText(_directory.Combine("recorded", "evaluation.md")).Should().Be(recordOutput, "the folder holds the figures the command printed");
        File.Exists(_directory.Combine("recorded", "false-alarms.csv")).Should().BeTrue();
        replayOutput.Should().Be(recordOutput, "replaying with the same settings scores the same figures");
        Directory.Exists(_directory.Combine("analytics", "evaluation")).Should().BeFalse("a replay must not overwrite the committed figures' folder unless told to");
        File.ReadAllText(rewritten).Should().Be(File.ReadAllText(recording), "a replay not classified again writes back the recording it read");
    }

    [Fact]
    public async Task A_recording_without_the_slow_flicker_is_replayed_without_its_check_and_says_so()
    {
        // A TV in a noisy household (0.02 of its power), recorded before the slow flicker was: with the check's wait
        // for the measure it would never be confirmed, though main's rule confirmed it at 15 s.
        var recording = _directory.Combine("older.txt");
        File.WriteAllLines(recording, ["set,held-out-1-2s,HeldOut,400001,1,2,1-2s", "load,400001,Harmonic,1793605786000,120,television,10:0.99:0:0:0.02 15:0.99:0:0:0.02"]);

        var (replayed, output, error) = await AnalyticsCommandLine.RunAsync(_directory.Path, "evaluate", "--replay", recording,
            "--detector", "MaxSlowFlickerRatio=0.04");

        replayed.Should().Be(0, error);
        error.Should().Contain("the slow flicker check is left out of this replay");
        output.Should().Contain("| harmonic | 0 | 0.0% (0) | — | — | 1 | 50 | 0 | television 1 |");
    }
}
