using EdgeSafety.Analytics.Charging;
using EdgeSafety.Appliances;

namespace EdgeSafety.Analytics.Tests;

/// <summary>The step detector on a household of the appliance library, read every second.</summary>
public sealed class StepDetectorTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public void Two_loads_switched_on_two_seconds_apart_give_two_steps_of_their_own_sizes()
    {
        var household = new SimulatedHousehold(seed: 5);
        var steps = new StepDetector(new ChargingDetectorOptions());
        household.Live.PlugIn(ApplianceKind.Router);
        Steps(steps, household, TimeSpan.FromMinutes(1)).Should().BeEmpty();

        household.Live.PlugIn(ApplianceKind.RiceCooker);
        var found = Steps(steps, household, 2 * Second);
        household.Live.PlugIn(ApplianceKind.EbikeLithium60VPfc, stateOfCharge: 0.55);
        // Long enough for the charger's soft start (up to 6 s) to end, short enough for its draw not to move yet.
        found.AddRange(Steps(steps, household, TimeSpan.FromSeconds(12)));

        var cooker = Power(household, ApplianceKind.RiceCooker);
        var charger = Power(household, ApplianceKind.EbikeLithium60VPfc);
        found.Select(s => s.Delta.PowerW).Should().HaveCount(2).And.SatisfyRespectively(
            first => first.Should().BeApproximately(cooker, cooker * 0.05),
            // A soft start still moving after four readings is taken where it is; the rest (under the 15 W threshold)
            // is followed as the load's contribution.
            second => second.Should().BeApproximately(charger, charger * 0.1));
    }

    [Fact]
    public void A_load_switched_off_while_another_is_still_rising_is_a_step_of_its_own()
    {
        var household = new SimulatedHousehold(seed: 3);
        var steps = new StepDetector(new ChargingDetectorOptions());
        household.Live.PlugIn(ApplianceKind.Router);
        Steps(steps, household, TimeSpan.FromMinutes(1));
        household.Live.PlugIn(ApplianceKind.RiceCooker);
        var cookerOn = Steps(steps, household, TimeSpan.FromSeconds(8)).Should().ContainSingle().Subject.Delta.PowerW;

        // The charger's soft start takes seconds; the cooker goes off in the middle of it.
        household.Live.PlugIn(ApplianceKind.EbikeLithium60VPfc, stateOfCharge: 0.55);
        var found = Steps(steps, household, 3 * Second);
        household.Live.Unplug(ApplianceKind.RiceCooker);
        found.AddRange(Steps(steps, household, TimeSpan.FromSeconds(30)));

        var charger = Power(household, ApplianceKind.EbikeLithium60VPfc);
        found.Should().HaveCount(2);
        found[0].Delta.PowerW.Should().BeInRange(charger * 0.2, charger * 1.05, "the charger's rise, up to where the cooker went off");
        found[1].Delta.PowerW.Should().BeApproximately(-cookerOn + (charger - found[0].Delta.PowerW), charger * 0.05,
            "the cooker's switch-off with the rest of the charger's rise");
        found[1].Delta.PowerW.Should().BeLessThan(-cookerOn * 0.7, "within the 30 % a switch-off is matched to the load it ends");
    }

    [Fact]
    public void A_soft_start_rising_less_than_the_threshold_per_reading_is_one_step()
    {
        // A lead-acid 48 V charger at 93 % state of charge plugged in beside a 36 W household (validation seed 300015,
        // 1-2 s readings): its soft start rises 12 to 16 W a reading, under the 15 W threshold between two of them.
        double[] readings = [36.9, 35.9, 48.1, 61.1, 73.3, 86.7, 103.0, 103.3, 102.4, 103.3, 102.8];
        var steps = new StepDetector(new ChargingDetectorOptions());
        var found = new List<Step>();
        var at = SimulatedHousehold.Start;
        foreach (var power in readings)
        {
            at += Second;
            if (steps.TryObserve(at, new LoadVector { PowerW = power }, out var step))
            {
                found.Add(step);
            }
        }

        // The first reading of the rise (+12 W) is within the threshold and taken into the old level (36.4 -> 42.25 W).
        found.Should().ContainSingle().Which.Delta.PowerW.Should().BeApproximately(103.15 - 42.25, 0.01);
    }

    private static List<Step> Steps(StepDetector steps, SimulatedHousehold household, TimeSpan duration)
    {
        var found = new List<Step>();
        foreach (var observation in household.Run(duration, Second))
        {
            if (steps.TryObserve(observation.Timestamp, LoadVector.Of(observation), out var step))
            {
                found.Add(step);
            }
        }

        return found;
    }

    private static double Power(SimulatedHousehold household, ApplianceKind kind) =>
        household.Live.Plugged.Single(p => p.Kind == kind).PowerW;
}
