using EdgeSafety.Analytics.Charging;
using static EdgeSafety.Analytics.Tests.SwitchOnSeries;

namespace EdgeSafety.Analytics.Tests;

/// <summary>
/// The confirmation rule's curve check (<see cref="ChargingDetectorOptions.CurveCheckMaxW"/>) on hand-made meter
/// series: a household of 300 W with a small deterministic flicker, and at 120 s a load that the model (here a
/// classifier that is always sure) takes for a charger. A small load confirms only once its power falls as a
/// charger's in constant voltage does; a flat one, an LED lamp's, never does.
/// </summary>
public sealed class CurveCheckTests
{
    /// <summary>The check with no limit on when the taper may show.</summary>
    private static readonly ChargingDetectorOptions CurveCheck = new() { CurveCheckMaxW = 70, MinTaperPercentPerMinute = 0.5, MinTaperSignificance = 3, TaperWithinSeconds = 3600 };

    [Fact]
    public void A_flat_small_load_is_held_back_however_sure_the_model_is()
    {
        ConfirmedAfter(CurveCheck, t => Household(t) + On(t, _ => 55)).Should().BeNull();
    }

    [Fact]
    public void Without_the_check_the_same_flat_load_is_confirmed_at_its_second_checkpoint()
    {
        ConfirmedAfter(new ChargingDetectorOptions { CurveCheckMaxW = 0 }, t => Household(t) + On(t, _ => 55)).Should().Be(15);
    }

    [Fact]
    public void The_check_is_on_by_default_for_loads_up_to_70_W_with_two_minutes_for_the_taper_to_show()
    {
        var options = new ChargingDetectorOptions();

        (options.CurveCheckMaxW, options.MinTaperPercentPerMinute, options.MinTaperSignificance, options.TaperWithinSeconds).Should().Be((75.0, 0.5, 3.0, 120.0));
        ConfirmedAfter(options, t => Household(t) + On(t, _ => 55)).Should().BeNull();
    }

    [Fact]
    public void A_small_charger_tapering_in_constant_voltage_is_confirmed_once_its_fall_shows()
    {
        // 60 W falling with a time constant of 15 minutes: 6.7 % a minute.
        ConfirmedAfter(CurveCheck, t => Household(t) + On(t, age => 60 * Math.Exp(-age / 900))).Should().Be(40);
    }

    [Fact]
    public void A_slow_taper_takes_longer_to_show()
    {
        // A time constant of an hour: 1.7 % a minute.
        ConfirmedAfter(CurveCheck, t => Household(t) + On(t, age => 60 * Math.Exp(-age / 3600))).Should().Be(50);
    }

    [Fact]
    public void A_load_above_the_check_is_confirmed_as_before()
    {
        ConfirmedAfter(CurveCheck, t => Household(t) + On(t, _ => 150)).Should().Be(15);
    }

    [Fact]
    public void A_refrigerator_settling_after_its_start_does_not_pass_its_fall_off_as_a_lamps_taper()
    {
        // The compressor starts 60 s before the lamp and settles from 115 % of its 100 W over two minutes: its fall
        // goes on in the lamp's contribution, and the drift measured before the switch-on says so.
        ConfirmedAfter(CurveCheck, t => Household(t) + Refrigerator(t) + On(t, _ => 55)).Should().BeNull();
    }

    [Fact]
    public void A_tapering_charger_next_to_a_steady_refrigerator_is_still_confirmed()
    {
        // The compressor has run for ten minutes when the charger comes on: settled, no drift left to hide behind.
        ConfirmedAfter(CurveCheck, t => Household(t) + Refrigerator(t + 540) + On(t, age => 60 * Math.Exp(-age / 900))).Should().Be(40);
    }

    [Fact]
    public void A_fall_that_only_shows_after_the_window_does_not_count()
    {
        // Five minutes after the lamp came on, another load's power starts sinking, 3 W a minute for four minutes.
        double Series(double t) => Household(t) + On(t, _ => 55) - Math.Clamp((t - SwitchOnSeconds - 300) / 20, 0, 12);

        ConfirmedAfter(CurveCheck, Series).Should().Be(360);
        ConfirmedAfter(new ChargingDetectorOptions(), Series).Should().BeNull();
    }

    /// <summary>A refrigerator's compressor started at 60 s, as the simulator's: 100 W × (1 + 0.15 e^(-t/120 s)).</summary>
    private static double Refrigerator(double t) => t < 60 ? 0 : 100 * (1 + (0.15 * Math.Exp(-(t - 60) / 120)));

    private static double On(double t, Func<double, double> power) => t < SwitchOnSeconds ? 0 : power(t - SwitchOnSeconds);

    /// <summary>The seconds from the switch-on to the load's confirmation by a model sure of every load, or null.</summary>
    private static double? ConfirmedAfter(ChargingDetectorOptions options, Func<double, double> powerAt) =>
        SwitchOnSeries.ConfirmedAfter(new ChargingDetector("room-401", new SureClassifier(), options), t =>
        {
            var power = powerAt(t);
            return new MeterObservation(Midnight.AddSeconds(t), 230, power / 230, power) { PowerFactor = 1 };
        });
}
