using EdgeSafety.Analytics.Charging;
using EdgeSafety.Analytics.Cli;
using EdgeSafety.Analytics.Cli.Charging;
using EdgeSafety.Appliances;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Analytics.Tests;

/// <summary>
/// The confirmation rule: how the classifier's probabilities at a load's checkpoints become a confirmed session,
/// checkpoint by checkpoint, and the recording the evaluate command replays rules on.
/// </summary>
public sealed class ConfirmationRuleTests
{
    private const double Steady = 0.002;

    /// <summary>The rule with a sure bar of 0.97, a one-minute hold for anything less sure and the flicker check on (the variant docs/charging-diagnosis.md measures).</summary>
    private static readonly ChargingDetectorOptions Options = new() { ConfirmProbability = 0.8, SureProbability = 0.97, ConfirmHoldSeconds = 60, MaxFlickerRatio = 0.015, MaxSettledFlickerRatio = 10 };

    [Fact]
    public void A_load_the_model_is_sure_of_is_confirmed_at_its_second_checkpoint()
    {
        ConfirmedAt(Options, (10, 0.99, Steady), (15, 0.995, Steady), (20, 0.99, Steady)).Should().Be(15);
    }

    [Fact]
    public void A_load_the_model_is_less_sure_of_is_confirmed_once_its_run_has_lasted_the_hold()
    {
        ConfirmedAt(Options, (10, 0.9, Steady), (15, 0.99, Steady), (20, 0.85, Steady), (25, 0.9, Steady), (30, 0.9, Steady),
            (40, 0.9, Steady), (50, 0.9, Steady), (60, 0.9, Steady), (75, 0.9, Steady), (90, 0.9, Steady)).Should().Be(75);
    }

    [Fact]
    public void A_probability_that_falls_below_the_bar_starts_the_hold_again()
    {
        ConfirmedAt(Options, (10, 0.9, Steady), (15, 0.9, Steady), (20, 0.9, Steady), (25, 0.9, Steady), (30, 0.9, Steady),
            (40, 0.9, Steady), (50, 0.9, Steady), (60, 0.5, Steady), (75, 0.9, Steady), (90, 0.9, Steady), (105, 0.9, Steady),
            (120, 0.9, Steady), (150, 0.9, Steady)).Should().Be(150);
    }

    [Fact]
    public void A_load_that_flickers_like_a_picture_is_not_confirmed_however_sure_the_model_is()
    {
        ConfirmedAt(Options, (10, 0.99, 0.03), (15, 0.99, 0.025), (20, 0.99, 0.04), (25, 0.99, 0.02), (30, 0.99, 0.035),
            (40, 0.99, 0.03), (50, 0.99, 0.045), (60, 0.99, 0.028), (75, 0.99, 0.05), (90, 0.99, 0.03)).Should().BeNull();
    }

    [Fact]
    public void Flicker_that_cannot_be_measured_does_not_hold_a_load_back()
    {
        ConfirmedAt(Options, (10, 0.99, double.NaN), (15, 0.99, double.NaN)).Should().Be(15);
    }

    [Fact]
    public void With_the_sure_bar_at_the_confirmation_bar_two_successive_checkpoints_confirm_as_before()
    {
        var old = new ChargingDetectorOptions { ConfirmProbability = 0.8, SureProbability = 0.8, MaxFlickerRatio = 10, MaxSettledFlickerRatio = 10 };

        ConfirmedAt(old, (10, 0.85, 0.05), (15, 0.7, 0.05), (20, 0.81, 0.05), (25, 0.9, 0.05)).Should().Be(25);
    }

    [Fact]
    public void A_basic_meter_is_held_to_its_own_bar()
    {
        var options = new ChargingDetectorOptions { ConfirmProbability = 0.8, BasicConfirmProbability = 0.9, SureProbability = 0.8, MaxFlickerRatio = 10, MaxSettledFlickerRatio = 10 };
        var evidence = new ConfirmationEvidence();

        evidence.Add(options, MeterTier.Basic, 10, 0.85, new CheckpointEvidence(Steady)).Should().BeFalse();
        evidence.Add(options, MeterTier.Basic, 15, 0.85, new CheckpointEvidence(Steady)).Should().BeFalse();
        evidence.Add(options, MeterTier.Basic, 20, 0.95, new CheckpointEvidence(Steady)).Should().BeFalse();
        evidence.Add(options, MeterTier.Basic, 25, 0.93, new CheckpointEvidence(Steady)).Should().BeTrue();
        evidence.Confidence.Should().BeApproximately(0.94, 1e-9);
    }

    [Theory]
    [InlineData("SureProbability=1.5", "SureProbability")]
    [InlineData("MaxFlickerRatio=0", "MaxFlickerRatio")]
    [InlineData("ConfirmHoldSeconds=-1", "ConfirmHoldSeconds")]
    [InlineData("ConfirmHoldSeconds=soon", "ConfirmHoldSeconds")]
    [InlineData("HoldSeconds=60", "Unknown detector setting")]
    [InlineData("SureProbability", "has no value")]
    public void Bad_detector_settings_on_the_command_line_are_refused_with_the_setting_named(string setting, string message)
    {
        var parse = () => DetectorSettings.Parse([setting]);

        parse.Should().Throw<ArgumentException>().WithMessage($"*{message}*");
    }

    [Fact]
    public void Detector_settings_on_the_command_line_replace_the_defaults()
    {
        var options = DetectorSettings.Parse(["SureProbability=0.99", "confirmholdseconds=90"]);

        options.SureProbability.Should().Be(0.99);
        options.ConfirmHoldSeconds.Should().Be(90);
        options.ConfirmProbability.Should().Be(new ChargingDetectorOptions().ConfirmProbability);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(120)]
    public void A_replay_of_recorded_checkpoints_scores_as_the_evaluation_does(double curveCheckMaxW)
    {
        using var models = SimulatedHousehold.CommittedModels();
        using var directory = new TemporaryDirectory("confirmation-replay");
        var set = new ScenarioSet("check", ParameterSet.HeldOut, 200_002, 5, 1, Sampling.Fast);
        var options = new ChargingDetectorOptions { CurveCheckMaxW = curveCheckMaxW };
        var path = directory.Combine("checkpoints.txt");

        CheckpointRecording.Write(path, [CheckpointRecording.Record(set, models, options)]);
        var replayed = EvaluationReport.Figures(set, CheckpointRecording.Replay(CheckpointRecording.Read(path).Single(), options));
        var evaluated = EvaluationReport.Figures(set, Evaluation.Run(set, models, options));

        replayed.Should().BeEquivalentTo(evaluated);
        evaluated.Tiers.Sum(t => t.Detected + t.FalseAlarms).Should().BeGreaterThan(0, "the households must give the replay something to score");
    }

    private static double? ConfirmedAt(ChargingDetectorOptions options, params (double Age, double Probability, double Flicker)[] checkpoints)
    {
        var evidence = new ConfirmationEvidence();
        foreach (var (age, probability, flicker) in checkpoints)
        {
            if (evidence.Add(options, MeterTier.Harmonic, age, probability, new CheckpointEvidence(flicker)))
            {
                return age;
            }
        }

        return null;
    }
}
