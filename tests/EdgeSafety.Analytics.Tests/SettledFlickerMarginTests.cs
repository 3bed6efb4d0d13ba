using EdgeSafety.Analytics.Charging;
using EdgeSafety.Analytics.Cli.Charging;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Analytics.Tests;

/// <summary>
/// The settled flicker check's noise margin (<see cref="ChargingDetectorOptions.SettledFlickerNoiseMargin"/>) and size
/// limit (<see cref="ChargingDetectorOptions.SettledFlickerMaxW"/>), on hand-made series read every second with a
/// model sure of every load, so that only the rule decides: a small charger in a noisy household (±3 W from reading
/// to reading) whose own ripple puts its settled flicker above the plain bar, and a TV in a quiet one.
/// </summary>
public sealed class SettledFlickerMarginTests
{
    // The slow flicker check (SlowFlickerTests) is off, so that only the settled flicker decides.
    private static readonly ChargingDetectorOptions PlainBar = new()
    {
        MaxSettledFlickerRatio = 0.01, SettledFlickerNoiseMargin = 0, MaxSlowFlickerRatio = ChargingDetectorOptions.FlickerCheckOff,
    };

    private static readonly ChargingDetectorOptions WithMargin = new()
    {
        MaxSettledFlickerRatio = 0.01, SettledFlickerNoiseMargin = 1.5, SettledFlickerMarginAdds = true, MaxSlowFlickerRatio = ChargingDetectorOptions.FlickerCheckOff,
    };

    [Fact]
    public void The_noise_margin_confirms_a_small_charger_in_a_noisy_household_that_the_plain_bar_never_confirms()
    {
        Run(PlainBar, householdSwingW: 3, chargerAt: 120, televisionAt: null).Should().BeEmpty();

        Run(WithMargin, householdSwingW: 3, chargerAt: 120, televisionAt: null).Should().Equal((120.0, 15.0));
    }

    [Fact]
    public void The_noise_margin_still_holds_back_a_tv_in_a_quiet_household()
    {
        Run(WithMargin, householdSwingW: 0.5, chargerAt: null, televisionAt: 120).Should().BeEmpty();
    }

    [Fact]
    public void A_load_larger_than_the_size_limit_is_not_checked()
    {
        var options = new ChargingDetectorOptions { MaxSettledFlickerRatio = 0.01, SettledFlickerNoiseMargin = 0, SettledFlickerMaxW = 120 };

        Run(options, householdSwingW: 0.5, chargerAt: null, televisionAt: 120).Should().Equal((120.0, 15.0));
    }

    [Fact]
    public void The_bar_rises_by_the_margin_times_the_households_flicker_over_the_loads_power()
    {
        // Bar 0.01 + 1.5 x 0.005 = 0.0175 holds back a settled flicker of 0.02; 0.01 + 1.5 x 0.008 = 0.022 does not.
        var quiet = new ConfirmationEvidence();
        quiet.Add(WithMargin, MeterTier.Harmonic, 10, 0.99, new CheckpointEvidence(0, SettledFlickerRatio: 0.02, HouseholdFlickerRatio: 0.005)).Should().BeFalse();
        quiet.Add(WithMargin, MeterTier.Harmonic, 15, 0.99, new CheckpointEvidence(0, SettledFlickerRatio: 0.02, HouseholdFlickerRatio: 0.005)).Should().BeFalse();

        var noisy = new ConfirmationEvidence();
        noisy.Add(WithMargin, MeterTier.Harmonic, 10, 0.99, new CheckpointEvidence(0, SettledFlickerRatio: 0.02, HouseholdFlickerRatio: 0.008)).Should().BeFalse();
        noisy.Add(WithMargin, MeterTier.Harmonic, 15, 0.99, new CheckpointEvidence(0, SettledFlickerRatio: 0.02, HouseholdFlickerRatio: 0.008)).Should().BeTrue();
    }

    [Fact]
    public void The_household_flicker_is_recorded_and_an_older_recording_takes_it_from_its_fingerprints()
    {
        using var directory = new TemporaryDirectory("settled-flicker-margin");
        var current = directory.Combine("current.txt");
        File.WriteAllLines(current, ["set,held-out-1-2s,HeldOut,400001,1,2,1-2s", "load,400001,Harmonic,1793605786000,90.2,television,15:0.98:0.025:0.031:0.0042"]);
        CheckpointRecording.Read(current).Single().Loads.Single().Checkpoints.Should().Equal(new RecordedCheckpoint(15, 0.98, 0.025, 0.031, 0.0042));

        // A recording of the sixth round: four values a checkpoint, the household flicker only in the fingerprints.
        var old = directory.Combine("old.txt");
        File.WriteAllLines(old, ["set,held-out-1-2s,HeldOut,400001,1,2,1-2s", "load,400001,Harmonic,1793605786000,90.2,television,10:0.99:0.03:NaN 15:0.98:0.025:0.031"]);
        var fingerprints = new float[2 * Fingerprint.Count];
        fingerprints[ConfirmationEvidence.HouseholdFlickerFeature] = 0.25f;
        fingerprints[Fingerprint.Count + ConfirmationEvidence.HouseholdFlickerFeature] = 0.5f;
        var sets = CheckpointRecording.Read(old);
        CheckpointRecording.WriteFingerprints(directory.Combine("old.fp"), [sets[0] with { Loads = [sets[0].Loads[0] with { Fingerprints = fingerprints }] }]);

        var checkpoints = CheckpointRecording.ReadFingerprints(directory.Combine("old.fp"), CheckpointRecording.Read(old)).Single().Loads.Single().Checkpoints;

        checkpoints.Should().Equal(new RecordedCheckpoint(10, 0.99, 0.03, double.NaN, 0.25), new RecordedCheckpoint(15, 0.98, 0.025, 0.031, 0.5));
    }

    /// <summary>Ten minutes of a household swinging by the given watts, a 90 W charger (±1.5 W ripple) and the TV switched on at the given seconds.</summary>
    private static List<(double StartedAtSeconds, double DetectedAfterSeconds)> Run(ChargingDetectorOptions options, double householdSwingW, double? chargerAt,
        double? televisionAt) =>
        ChargerBesideTelevision.Run(options, householdSwingW, chargerW: 90, chargerRippleW: 1.5, chargerAt, televisionAt);
}
