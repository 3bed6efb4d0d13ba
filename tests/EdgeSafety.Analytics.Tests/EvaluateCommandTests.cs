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

        var (recorded, recordOutput, recordError) = await AnalyticsCommandLine.RunAsync(_directory.Path,
            "evaluate", "--households", "1", "--days", "0.2", "--record", recording, "--report", _directory.Combine("recorded"));
        var (replayed, replayOutput, replayError) = await AnalyticsCommandLine.RunAsync(_directory.Path, "evaluate", "--replay", recording);

        recorded.Should().Be(0, recordError);
        replayed.Should().Be(0, replayError);
        File.ReadAllText(_directory.Combine("recorded", "evaluation.md")).Should().Be(recordOutput, "the folder holds the figures the command printed");
        File.Exists(_directory.Combine("recorded", "false-alarms.csv")).Should().BeTrue();
        replayOutput.Should().Be(recordOutput, "replaying with the same settings scores the same figures");
        Directory.Exists(_directory.Combine("analytics", "evaluation")).Should().BeFalse("a replay must not overwrite the committed figures' folder unless told to");
    }
}
