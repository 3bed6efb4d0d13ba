using EdgeSafety.Contracts;
using EdgeSafety.EdgeAgent.Commands;
using EdgeSafety.TestSupport;
using Microsoft.Extensions.Options;

namespace EdgeSafety.EdgeAgent.Tests;

/// <summary>The warning player's rate limit on a clock the test moves, and its failures, with a real player program.</summary>
public sealed class WarningPlayerTests : IDisposable
{
    private readonly TemporaryDirectory _folder = new("warning-player");
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 22, 22, 0, 0, TimeSpan.Zero));

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task One_warning_per_target_per_interval_others_and_later_ones_play()
    {
        var player = Player(exitCode: 0);
        var quiet = new WarnCommand("w1", "noise-a", "quiet", null);

        (await player.PlayAsync(quiet, CancellationToken.None)).Should().BeNull();
        _clock.Advance(TimeSpan.FromMinutes(9));
        var refused = await player.PlayAsync(quiet with { Id = "w2" }, CancellationToken.None);
        var otherTarget = await player.PlayAsync(quiet with { Id = "w3", Target = "noise-b" }, CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var later = await player.PlayAsync(quiet with { Id = "w4" }, CancellationToken.None);

        refused.Should().Be("rate limited until 2026-11-22T22:10:00Z: noise-a was warned at 2026-11-22T22:00:00Z");
        otherTarget.Should().BeNull("the limit is per target");
        later.Should().BeNull("ten minutes have passed");
        PlayedLines().Count(l => l == "---").Should().Be(3);
    }

    [Fact]
    public async Task A_failing_player_is_reported_with_its_exit_code_and_does_not_use_up_the_interval()
    {
        var player = Player(exitCode: 3);
        var quiet = new WarnCommand("w1", "noise-a", "quiet", null);

        var failed = await player.PlayAsync(quiet, CancellationToken.None);
        var retried = await player.PlayAsync(quiet with { Id = "w2" }, CancellationToken.None);

        failed.Should().Be("the player exited with code 3: speaker not found");
        retried.Should().Be(failed, "nothing was heard, so the retry is not rate limited");
    }

    [Fact]
    public async Task A_player_that_hangs_is_stopped_at_the_timeout()
    {
        var script = PlayerScript.Write(_folder.Combine("hang.sh"), "sleep 30");
        var player = new WarningPlayer(Options.Create(new WarningOptions
        {
            Player = script, Arguments = ["{message}"], TimeoutSeconds = 1,
            Messages = { ["quiet"] = new RecordedWarning { Text = "quiet please" } },
        }), _clock, new RecordingLogger<WarningPlayer>());

        var error = await player.PlayAsync(new WarnCommand("w1", "noise-a", "quiet", null), CancellationToken.None);

        error.Should().Be("the player did not finish within 1 s and was stopped");
    }

    private WarningPlayer Player(int exitCode)
    {
        var script = PlayerScript.RecordingArguments(_folder.Combine("player.sh"), _folder.Combine("played.txt"), exitCode);
        return new WarningPlayer(Options.Create(new WarningOptions
        {
            Player = script, Arguments = ["--file", "{file}"],
            Messages = { ["quiet"] = new RecordedWarning { File = "/var/lib/edgesafety-agent/warnings/quiet.wav" } },
        }), _clock, new RecordingLogger<WarningPlayer>());
    }

    private string[] PlayedLines() => File.ReadAllLines(_folder.Combine("played.txt"));

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
