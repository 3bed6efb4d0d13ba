using EdgeSafety.Analytics.Charging;
using EdgeSafety.Analytics.Cli.Charging;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Analytics.Tests;

/// <summary>
/// The eighth round's two changes to the flicker evidence, on hand-made series read every second with a model sure of
/// every load (<see cref="ChargerBesideTelevision"/>: a 200 W household swinging by the given watts from one reading
/// to the next, a TV at 140 W whose picture moves its power by ±8 % over 6 s, a 90 W charger with ±1.5 W of ripple):
/// the settled flicker's noise margin taken as the larger of it and the plain bar
/// (<see cref="ChargingDetectorOptions.SettledFlickerMarginAdds"/>), and the slow flicker
/// (<see cref="ChargingDetectorOptions.MaxSlowFlickerRatio"/>), in which a meter's noise cancels however large it is.
/// </summary>
public sealed class SlowFlickerTests
{
    private static readonly ChargingDetectorOptions SlowCheck = new()
    {
        MaxSlowFlickerRatio = 0.03, SlowFlickerNoiseMargin = 0.5, SlowFlickerWaitHouseholdRatio = ChargingDetectorOptions.FlickerCheckOff,
    };

    private static readonly ChargingDetectorOptions SlowCheckOff = new() { MaxSlowFlickerRatio = ChargingDetectorOptions.FlickerCheckOff };

    /// <summary>The setting the eighth round measured (off by default: it lost sessions on the held-back validation set).</summary>
    private static readonly ChargingDetectorOptions WaitingSlowCheck = new() { MaxSlowFlickerRatio = 0.04, SlowFlickerWaitHouseholdRatio = 0.015 };

    [Fact]
    public void By_default_the_settled_margin_no_longer_lets_a_tv_through_a_quiet_household()
    {
        // A TV measuring 0.012 beyond a household at 0.004 of its power: the seventh round's bar was 0.01 + 1.5 x 0.004
        // = 0.016; the larger of 0.01 and 2 x 0.004 is 0.01.
        var quietTelevision = new CheckpointEvidence(0, SettledFlickerRatio: 0.012, HouseholdFlickerRatio: 0.004);
        Confirmed(new ChargingDetectorOptions(), quietTelevision).Should().BeFalse();
        Confirmed(new ChargingDetectorOptions { SettledFlickerNoiseMargin = 1.5, SettledFlickerMarginAdds = true }, quietTelevision).Should().BeTrue();

        // In a noisy household the margin is the bar: 2 x 0.02 = 0.04 lets a charger's noisy 0.035 through.
        Confirmed(new ChargingDetectorOptions(), new CheckpointEvidence(0, SettledFlickerRatio: 0.035, HouseholdFlickerRatio: 0.02, SlowFlickerRatio: 0)).Should().BeTrue();
    }

    [Fact]
    public void A_tv_in_a_noisy_household_gets_through_the_settled_margin_but_not_the_slow_flicker_check()
    {
        // ±3 W a reading: the household's flicker is 6 W, 0.043 of the TV's power, so the settled bar is 0.086 and the
        // TV's 0.056 beyond it passes; its slow flicker (about 0.1: ±11 W over half its 6 s period) is over the slow
        // check's bar of 0.03 + 0.5 x 0.043, while the household's swing cancels in it exactly.
        Run(SlowCheckOff, householdSwingW: 3, chargerAt: null, televisionAt: 120).Should().Equal((120.0, 15.0));

        Run(SlowCheck, householdSwingW: 3, chargerAt: null, televisionAt: 120).Should().BeEmpty();
        Run(WaitingSlowCheck, householdSwingW: 3, chargerAt: null, televisionAt: 120).Should().BeEmpty();
        Run(new ChargingDetectorOptions(), householdSwingW: 3, chargerAt: null, televisionAt: 120).Should().Equal([(120.0, 15.0)], "the check is off by default");
    }

    [Fact]
    public void A_charger_in_the_same_noisy_household_is_confirmed_as_fast_with_the_slow_flicker_check_and_a_checkpoint_later_waiting_for_it()
    {
        Run(SlowCheckOff, householdSwingW: 3, chargerAt: 120, televisionAt: null).Should().Equal((120.0, 15.0));

        Run(SlowCheck, householdSwingW: 3, chargerAt: 120, televisionAt: null).Should().Equal((120.0, 15.0));

        // Waiting for its slow flicker, a load in a household this noisy is confirmed a checkpoint later: at 10 s its
        // window (from 6 s) has fewer than three changes over three readings.
        Run(WaitingSlowCheck, householdSwingW: 3, chargerAt: 120, televisionAt: null).Should().Equal((120.0, 20.0));
    }

    [Fact]
    public void A_load_whose_slow_flicker_is_not_measured_waits_only_in_a_noisy_household_and_only_when_told()
    {
        var waiting = WaitingSlowCheck;
        var noisy = new CheckpointEvidence(0, SettledFlickerRatio: 0, HouseholdFlickerRatio: 0.02);
        var quiet = new CheckpointEvidence(0, SettledFlickerRatio: 0, HouseholdFlickerRatio: 0.01);

        Confirmed(waiting, noisy).Should().BeFalse();
        Confirmed(waiting, quiet).Should().BeTrue();
        Confirmed(new ChargingDetectorOptions { MaxSlowFlickerRatio = 0.04, SlowFlickerWaitHouseholdRatio = ChargingDetectorOptions.FlickerCheckOff }, noisy).Should().BeTrue();
        Confirmed(waiting, noisy with { SlowFlickerRatio = 0.03 }).Should().BeTrue();
        Confirmed(waiting, noisy with { SlowFlickerRatio = 0.05 }).Should().BeFalse();
    }

    [Fact]
    public void The_slow_flicker_is_recorded_as_a_sixth_value_and_an_older_recording_reads_it_as_not_measured()
    {
        using var directory = new TemporaryDirectory("slow-flicker");
        var current = directory.Combine("current.txt");
        File.WriteAllLines(current, ["set,held-out-1-2s,HeldOut,400001,1,2,1-2s", "load,400001,Harmonic,1793605786000,90.2,television,15:0.98:0.025:0.031:0.0042:0.047"]);
        CheckpointRecording.Read(current).Single().Loads.Single().Checkpoints.Should().Equal(new RecordedCheckpoint(15, 0.98, 0.025, 0.031, 0.0042, 0.047));

        var older = directory.Combine("older.txt");
        File.WriteAllLines(older, ["set,held-out-1-2s,HeldOut,400001,1,2,1-2s", "load,400001,Harmonic,1793605786000,90.2,television,15:0.98:0.025:0.031:0.0042"]);
        CheckpointRecording.Read(older).Single().Loads.Single().Checkpoints.Single().SlowFlickerRatio.Should().Be(double.NaN);
    }

    private static bool Confirmed(ChargingDetectorOptions options, in CheckpointEvidence evidence)
    {
        var rule = new ConfirmationEvidence();
        rule.Add(options, MeterTier.Harmonic, 10, 0.99, evidence).Should().BeFalse();
        return rule.Add(options, MeterTier.Harmonic, 15, 0.99, evidence);
    }

    private static List<(double StartedAtSeconds, double DetectedAfterSeconds)> Run(ChargingDetectorOptions options, double householdSwingW, double? chargerAt,
        double? televisionAt) =>
        ChargerBesideTelevision.Run(options, householdSwingW, chargerW: 90, chargerRippleW: 1.5, chargerAt, televisionAt);
}
