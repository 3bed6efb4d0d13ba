namespace EdgeSafety.Appliances.Tests;

public class ChargerTests
{
    private static double PowerAt(BatteryCharger charger, double seconds)
    {
        var current = new CurrentSpectrum();
        charger.AddCurrent(seconds, 220, current);
        return 220 * current.Real(1);
    }

    private static double Middle(StageSpan stage, double plugged) => (stage.Start + Math.Min(stage.End, plugged)) / 2;

    [Fact]
    public void A_lead_acid_charger_goes_from_bulk_to_absorption_to_a_float_that_lasts_until_unplugged()
    {
        var charger = ApplianceCatalog.CreateCharger(ApplianceKind.EbikeLeadAcid48V, ParameterSet.Training, new Random(2), 0.2);

        charger.Stages.Select(s => s.Stage).Should().Equal(ChargingStage.Bulk, ChargingStage.Absorption, ChargingStage.Float);
        charger.Stages[^1].End.Should().Be(double.PositiveInfinity);
        var bulk = charger.Stages[0];
        var absorption = charger.Stages[1];
        var floating = charger.Stages[2];

        // Bulk: constant current into a rising battery voltage, so the power climbs.
        PowerAt(charger, bulk.End - 60).Should().BeGreaterThan(PowerAt(charger, 60));
        charger.OutputAt(60).Amperes.Should().BeApproximately(charger.RatedCurrentA, charger.RatedCurrentA * 0.01);

        // Absorption: constant voltage, the current tapers.
        charger.OutputAt(absorption.Start + 60).Amperes.Should().BeGreaterThan(2 * charger.OutputAt(absorption.End - 60).Amperes);

        // Float: a small current for hours.
        PowerAt(charger, floating.Start + (3 * 3600)).Should().BeLessThan(0.15 * PowerAt(charger, Middle(bulk, double.PositiveInfinity)));
        PowerAt(charger, floating.Start + (3 * 3600)).Should().BeGreaterThan(2);
        charger.StageAt(floating.Start + (5 * 3600)).Should().Be(ChargingStage.Float);
        charger.ChargingEndsAfter.Should().Be(double.PositiveInfinity);
    }

    [Fact]
    public void A_lithium_charger_stops_after_constant_current_and_constant_voltage()
    {
        var charger = ApplianceCatalog.CreateCharger(ApplianceKind.EbikeLithium48V, ParameterSet.Training, new Random(3), 0.3);

        charger.Stages.Select(s => s.Stage).Should().Equal(ChargingStage.Bulk, ChargingStage.Absorption, ChargingStage.Done);
        charger.ChargingEndsAfter.Should().Be(charger.Stages[2].Start);
        PowerAt(charger, charger.Stages[2].Start + 600).Should().BeLessThan(2, "only the charger's standby draw is left");
        PowerAt(charger, 600).Should().BeGreaterThan(80);
    }

    [Fact]
    public void A_nearly_full_battery_starts_late_in_the_curve_and_charges_briefly()
    {
        var empty = ApplianceCatalog.CreateCharger(ApplianceKind.EbikeLeadAcid60V, ParameterSet.Training, new Random(5), 0.2);
        var full = ApplianceCatalog.CreateCharger(ApplianceKind.EbikeLeadAcid60V, ParameterSet.Training, new Random(5), 0.95);

        full.Stages[0].Stage.Should().Be(ChargingStage.Absorption);
        full.OutputAt(10).Amperes.Should().BeLessThan(0.6 * full.RatedCurrentA);
        var fullAbsorption = full.Stages[0].End;
        var emptyAbsorption = empty.Stages[1].End - empty.Stages[1].Start;
        fullAbsorption.Should().BeLessThan(0.6 * emptyAbsorption);
        full.EnergyWh(full.Stages[1].Start).Should().BeLessThan(0.2 * empty.EnergyWh(empty.Stages[2].Start));
    }

    [Fact]
    public void Energy_of_a_session_matches_the_charge_put_into_the_battery()
    {
        var charger = ApplianceCatalog.CreateCharger(ApplianceKind.EbikeLithium60VPfc, ParameterSet.Training, new Random(9), 0.1);

        var energy = charger.EnergyWh(charger.ChargingEndsAfter);

        // Filling 90 % of the battery at about the nominal voltage, through an efficiency near 0.9.
        var stored = 0.9 * charger.RatedCurrentA * charger.Parameters["hours_at_rated_current"] * charger.NominalBatteryVoltageV * 1.05;
        energy.Should().BeInRange(stored * 0.9, stored * 1.45);
    }
}
