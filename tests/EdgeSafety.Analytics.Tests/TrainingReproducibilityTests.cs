using EdgeSafety.Analytics.Charging;
using EdgeSafety.Analytics.Cli;
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

    [Fact]
    public void The_extra_pfc_households_are_a_training_set_of_their_own_whose_chargers_all_have_active_pfc()
    {
        var committed = new TrainingPlan(TrainingPlan.DefaultHouseholds, TrainingPlan.DefaultValidationHouseholds);
        var withPfc = committed with { PfcHouseholds = 100 };

        committed.TrainingSets.Select(s => s.Name).Should().Equal(["train-fast", "train-medium", "train-slow"], "by default the training data is the committed models'");
        committed.IsDefault.Should().BeTrue();
        withPfc.IsDefault.Should().BeFalse();
        withPfc.TrainingSets.Take(3).Should().Equal(committed.TrainingSets);
        var pfcSet = withPfc.TrainingSets[3];
        (pfcSet.Name, pfcSet.FirstSeed, pfcSet.Households, pfcSet.Sampling).Should().Be(("train-pfc", 30_001, 100, Sampling.Fast));

        var rows = ModelTraining.Collect([pfcSet with { Households = 3, Days = 1, Sampling = Sampling.Medium }], new ChargingDetectorOptions())[MeterTier.Harmonic];
        var powerFactor = Fingerprint.Names.ToList().IndexOf("power_factor");
        var chargerPowerFactors = rows.Labels.Select((label, row) => (label, row)).Where(r => r.label > 0).Select(r => rows.Features[(r.row * Fingerprint.Count) + powerFactor]).ToList();

        chargerPowerFactors.Should().HaveCountGreaterThan(20).And.OnlyContain(pf => pf >= ModelRecipe.PfcPowerFactor, "every e-bike charger in the set has an active PFC front end");
    }
}
