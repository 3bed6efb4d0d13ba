using EdgeSafety.Analytics.Charging;
using EdgeSafety.Analytics.Cli.Charging;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Analytics.Tests;

/// <summary>
/// The confirmation rule's check on a load's flicker once settled (<see cref="ChargingDetectorOptions.MaxSettledFlickerRatio"/>),
/// on hand-made series of a household's power read every second: a model sure of every load, so that only the
/// flicker decides. A household at 200 W that flickers by ±0.5 W; a charger that ramps to 150 W over 6 s (its soft
/// start) and then holds within ±0.3 W; a TV at 140 W whose picture moves its power by ±8 % over 6 s.
/// </summary>
public sealed class SettledFlickerTests
{
    private const double ChargerW = 150;
    private static readonly ChargingDetectorOptions SettledCheck = new() { MaxSettledFlickerRatio = 0.02 };

    [Fact]
    public void A_load_that_flickers_like_a_picture_is_never_confirmed()
    {
        var started = Run(SettledCheck, chargerAt: null, televisionAt: 120);

        started.Should().BeEmpty();
    }

    [Fact]
    public void A_chargers_soft_start_does_not_hold_it_back()
    {
        var started = Run(SettledCheck, chargerAt: 120, televisionAt: null);

        started.Should().ContainSingle().Which.Should().Be((120, 15));
    }

    [Fact]
    public void The_last_30_seconds_flicker_holds_the_same_charger_back_while_its_soft_start_is_in_them()
    {
        var started = Run(new ChargingDetectorOptions { MaxFlickerRatio = 0.02 }, chargerAt: 120, televisionAt: null);

        started.Should().ContainSingle().Which.DetectedAfterSeconds.Should().BeGreaterThan(30);
    }

    [Fact]
    public void A_tv_switched_on_after_the_charger_does_not_hold_the_charger_back()
    {
        // The TV comes on 12 s after the charger, before the rule could confirm it at 15 s; it flickers in the
        // charger's contribution too from then on, for as long as it runs.
        var started = Run(SettledCheck, chargerAt: 120, televisionAt: 132);

        started.Should().ContainSingle().Which.Should().Be((120, 15));
    }

    [Fact]
    public void The_last_30_seconds_flicker_never_confirms_a_charger_a_tv_was_switched_on_after()
    {
        var started = Run(new ChargingDetectorOptions { MaxFlickerRatio = 0.02 }, chargerAt: 120, televisionAt: 132);

        started.Should().BeEmpty();
    }

    [Fact]
    public void With_the_check_off_a_sure_model_confirms_the_tv_as_before()
    {
        var started = Run(new ChargingDetectorOptions
        {
            MaxSettledFlickerRatio = ChargingDetectorOptions.FlickerCheckOff, MaxSlowFlickerRatio = ChargingDetectorOptions.FlickerCheckOff,
        }, chargerAt: null, televisionAt: 120);

        started.Should().ContainSingle().Which.StartedAtSeconds.Should().Be(120);
    }

    [Fact]
    public void A_load_whose_settled_flicker_is_not_measured_yet_waits_while_the_check_is_on()
    {
        var evidence = new ConfirmationEvidence();

        evidence.Add(SettledCheck, MeterTier.Harmonic, 10, 0.99, new CheckpointEvidence(0.002, SettledFlickerRatio: double.NaN)).Should().BeFalse();
        evidence.Add(SettledCheck, MeterTier.Harmonic, 15, 0.99, new CheckpointEvidence(0.002, SettledFlickerRatio: double.NaN)).Should().BeFalse();
        evidence.Add(SettledCheck, MeterTier.Harmonic, 20, 0.99, new CheckpointEvidence(0.002, SettledFlickerRatio: 0.004)).Should().BeFalse();
        evidence.Add(SettledCheck, MeterTier.Harmonic, 25, 0.99, new CheckpointEvidence(0.002, SettledFlickerRatio: 0.004)).Should().BeTrue();
    }

    [Fact]
    public void A_recording_made_before_the_settled_flicker_was_recorded_is_still_read()
    {
        using var directory = new TemporaryDirectory("settled-flicker-recording");
        var path = directory.Combine("old.txt");
        File.WriteAllLines(path,
        [
            "set,held-out-1-2s,HeldOut,400001,1,2,1-2s",
            "load,400001,Harmonic,1793605786000,90.2,television,10:0.99:0.03 15:0.98:0.025:0.031",
        ]);

        var checkpoints = CheckpointRecording.Read(path).Single().Loads.Single().Checkpoints;

        checkpoints.Should().Equal(new RecordedCheckpoint(10, 0.99, 0.03, double.NaN), new RecordedCheckpoint(15, 0.98, 0.025, 0.031));
    }

    /// <summary>Ten minutes of the quiet household (±0.5 W), the 150 W charger (±0.3 W) and the TV switched on at the given seconds.</summary>
    private static List<(double StartedAtSeconds, double DetectedAfterSeconds)> Run(ChargingDetectorOptions options, double? chargerAt, double? televisionAt) =>
        ChargerBesideTelevision.Run(options, householdSwingW: 0.5, ChargerW, chargerRippleW: 0.3, chargerAt, televisionAt);
}
