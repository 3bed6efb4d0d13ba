using EdgeSafety.Analytics.Charging;
using EdgeSafety.Analytics.Cli.Charging;
using EdgeSafety.Appliances;

namespace EdgeSafety.Analytics.Tests;

/// <summary>
/// The train command's code on a small seeded set (the full set is the command's job, not CI's): the same seeds
/// give the same fingerprints and the same model bytes, which is what lets the committed models be reproduced.
/// </summary>
public sealed class TrainingReproducibilityTests
{
    [Fact]
    public void The_same_seeds_give_the_same_training_rows_and_the_same_model_bytes()
    {
        var sets = new[] { new ScenarioSet("small", ParameterSet.Training, 1, 2, 0.5, Sampling.Medium) };

        var first = ModelTraining.Collect(sets, new ChargingDetectorOptions());
        var second = ModelTraining.Collect(sets, new ChargingDetectorOptions());
        using var firstModel = ModelTraining.Train(first[MeterTier.Harmonic]);
        using var secondModel = ModelTraining.Train(second[MeterTier.Harmonic]);

        first[MeterTier.Harmonic].Labels.Count.Should().BeGreaterThan(50);
        second[MeterTier.Harmonic].Features.Should().Equal(first[MeterTier.Harmonic].Features);
        secondModel.SaveJson().Should().Equal(firstModel.SaveJson());
    }
}
