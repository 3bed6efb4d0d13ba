using EdgeSafety.Analytics.Charging;
using static EdgeSafety.Analytics.Tests.SwitchOnSeries;

namespace EdgeSafety.Analytics.Tests;

/// <summary>
/// The confirmation rule's second look (<see cref="ChargingDetectorOptions.SecondLookSeconds"/>) on hand-made meter
/// series of a THD meter: a resistive household of 300 W with a small deterministic flicker, and at 120 s a load the
/// model (here a classifier that always answers 0.4) is unsure of, as it is of the lithium chargers with active PFC
/// that look like training's PFC laptop supplies and PCs. A flat, regulated, nearly sinusoidal load of a PFC charger's
/// size is confirmed at its second checkpoint from 90 s; a PC's flickering power, a rice cooker's size, a rectifier's
/// current, a meter without THD or a load the model rules out are not.
/// </summary>
public sealed class SecondLookTests
{
    private const double Volts = 230;

    [Fact]
    public void A_flat_pfc_charger_the_model_is_unsure_of_is_confirmed_at_its_second_checkpoint_from_90_s()
    {
        ConfirmedAfter(new ChargingDetectorOptions(), _ => 150, thdRatio: 0.05).Should().Be(105);
    }

    [Fact]
    public void With_the_second_look_off_the_same_charger_is_never_confirmed()
    {
        ConfirmedAfter(new ChargingDetectorOptions { SecondLookSeconds = 0 }, _ => 150, thdRatio: 0.05).Should().BeNull();
    }

    [Fact]
    public void A_later_second_look_confirms_later()
    {
        ConfirmedAfter(new ChargingDetectorOptions { SecondLookSeconds = 180 }, _ => 150, thdRatio: 0.05).Should().Be(210);
    }

    [Fact]
    public void A_desktop_pc_whose_work_moves_its_power_is_not_confirmed()
    {
        // 3 % of its power, changing every few seconds: its flicker once settled is far beyond a charger's.
        double Pc(double age) => 150 * (1 + (0.03 * Math.Sin(age * 1.3)));

        ConfirmedAfter(new ChargingDetectorOptions(), Pc, thdRatio: 0.05).Should().BeNull();
        ConfirmedAfter(new ChargingDetectorOptions { SecondLookMaxSettledFlickerRatio = 10 }, Pc, thdRatio: 0.05).Should().Be(105);
    }

    [Fact]
    public void A_load_larger_than_a_pfc_charger_such_as_a_rice_cooker_is_not_confirmed_unless_the_limit_is_raised()
    {
        ConfirmedAfter(new ChargingDetectorOptions(), _ => 600, thdRatio: 0).Should().BeNull();
        ConfirmedAfter(new ChargingDetectorOptions { SecondLookMaxW = 1000 }, _ => 600, thdRatio: 0).Should().Be(105);
    }

    [Fact]
    public void A_rectifiers_distorted_current_is_not_a_pfc_chargers()
    {
        ConfirmedAfter(new ChargingDetectorOptions(), _ => 150, thdRatio: 1.2).Should().BeNull();
        ConfirmedAfter(new ChargingDetectorOptions { SecondLookMaxThdRatio = 2 }, _ => 150, thdRatio: 1.2).Should().Be(105);
    }

    [Fact]
    public void A_load_still_climbing_is_not_flat_enough()
    {
        // 5 % of its power a minute.
        double Climbing(double age) => 150 * (1 + (0.05 * age / 60));

        ConfirmedAfter(new ChargingDetectorOptions(), Climbing, thdRatio: 0.05).Should().BeNull();
        ConfirmedAfter(new ChargingDetectorOptions { SecondLookMaxChangePercent = 100 }, Climbing, thdRatio: 0.05).Should().Be(105);
    }

    [Fact]
    public void A_load_the_model_rules_out_gets_no_second_look()
    {
        ConfirmedAfter(new ChargingDetectorOptions(), _ => 150, thdRatio: 0.05, probability: 0.2f).Should().BeNull();
        ConfirmedAfter(new ChargingDetectorOptions { SecondLookProbability = 0.15 }, _ => 150, thdRatio: 0.05, probability: 0.2f).Should().Be(105);
    }

    [Fact]
    public void A_basic_meter_which_gives_no_thd_gets_no_second_look()
    {
        ConfirmedAfter(new ChargingDetectorOptions(), _ => 150, thdRatio: null).Should().BeNull();
    }

    [Fact]
    public void The_confidence_of_a_second_look_is_its_runs_mean_probability()
    {
        var options = new ChargingDetectorOptions();
        var rule = new ConfirmationEvidence();
        var curve = new LoadCurve(150, 150, 0.1, 0.05, 0);

        rule.Add(options, MeterTier.Thd, 90, 0.3, new CheckpointEvidence(0, curve, 0.002, ThdRatio: 0.05)).Should().BeFalse();
        rule.Add(options, MeterTier.Thd, 105, 0.5, new CheckpointEvidence(0, curve, 0.002, ThdRatio: 0.05)).Should().BeTrue();
        rule.Confidence.Should().BeApproximately(0.4, 1e-12);
    }

    /// <summary>The small charger look on: a plain (rectifier) charger of 80-160 W the model gives at least 0.5.</summary>
    private static readonly ChargingDetectorOptions SmallChargerLook = new() { SmallChargerLookSeconds = 90 };

    [Fact]
    public void A_small_plain_charger_the_model_is_unsure_of_is_confirmed_by_the_small_charger_look_and_not_without_it()
    {
        // A 48 V lithium charger of 100 W whose rated current lies outside training's: a rectifier's current, 0.6.
        ConfirmedAfter(SmallChargerLook, _ => 100, thdRatio: 1.2, probability: 0.6f).Should().Be(105);
        ConfirmedAfter(new ChargingDetectorOptions(), _ => 100, thdRatio: 1.2, probability: 0.6f).Should().BeNull();
    }

    [Fact]
    public void A_small_chargers_slow_taper_in_constant_voltage_is_flat_enough()
    {
        // 100 W falling with a time constant of an hour (1.7 % a minute), as a lithium charger late in constant voltage.
        ConfirmedAfter(SmallChargerLook, age => 100 * Math.Exp(-age / 3600), thdRatio: 1.2, probability: 0.6f).Should().Be(105);
    }

    [Fact]
    public void The_small_charger_look_leaves_out_a_lamps_size_a_tvs_picture_and_a_load_the_model_doubts()
    {
        // An LED lamp of 60 W: below the look's 80 W (and the curve check's business).
        ConfirmedAfter(SmallChargerLook, _ => 60, thdRatio: 1.2, probability: 0.6f).Should().BeNull();
        ConfirmedAfter(new ChargingDetectorOptions { SmallChargerLookSeconds = 90, SmallChargerLookMinW = 50 }, _ => 60, thdRatio: 1.2, probability: 0.6f).Should().Be(105);

        // A TV of 100 W whose picture moves its power by 3 % every few seconds.
        ConfirmedAfter(SmallChargerLook, age => 100 * (1 + (0.03 * Math.Sin(age * 1.3))), thdRatio: 1.2, probability: 0.6f).Should().BeNull();

        // The same charger at 0.4: the PFC look's probability, not the small charger look's.
        ConfirmedAfter(SmallChargerLook, _ => 100, thdRatio: 1.2, probability: 0.4f).Should().BeNull();
    }

    [Fact]
    public void A_nearly_sinusoidal_load_of_a_small_chargers_size_is_not_a_plain_chargers()
    {
        // 120 W with a PFC stage's current: the PFC look's (from 100 W at 0.25), not the small charger look's.
        ConfirmedAfter(new ChargingDetectorOptions { SmallChargerLookSeconds = 90, SecondLookSeconds = 0 }, _ => 120, thdRatio: 0.05, probability: 0.6f).Should().BeNull();
    }

    /// <summary>
    /// Feeds ten minutes after the switch-on of 1 s readings of a load of the given power (by age) whose distortion
    /// current is <paramref name="thdRatio"/> of its fundamental (null: a basic meter, no THD); the seconds from the
    /// switch-on to the load's confirmation, or null.
    /// </summary>
    private static double? ConfirmedAfter(ChargingDetectorOptions options, Func<double, double> loadW, double? thdRatio, float probability = 0.4f) =>
        SwitchOnSeries.ConfirmedAfter(new ChargingDetector("room-402", new UnsureClassifier(probability), options), t =>
        {
            var load = t < SwitchOnSeconds ? 0 : loadW(t - SwitchOnSeconds);
            var power = Household(t) + load;
            var fundamentalA = power / Volts;
            var distortionA = (thdRatio ?? 0) * load / Volts;
            var currentA = Math.Sqrt((fundamentalA * fundamentalA) + (distortionA * distortionA));
            return new MeterObservation(Midnight.AddSeconds(t), Volts, currentA, power)
            {
                PowerFactor = power / (Volts * currentA),
                ReactiveVar = thdRatio is null ? null : 0,
                ThdIPct = thdRatio is null ? null : 100 * distortionA / fundamentalA,
            };
        });

    /// <summary>The model's verdict taken out of the test: it gives every load the same probability, below the confirmation bar.</summary>
    private sealed class UnsureClassifier(float probability) : IChargingClassifier
    {
        public float Probability(in Candidate candidate, ReadOnlySpan<float> fingerprint) => probability;
    }
}
