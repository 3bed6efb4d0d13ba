using EdgeSafety.Analytics.Charging;
using EdgeSafety.Appliances;

namespace EdgeSafety.Analytics.Tests;

/// <summary>
/// A charger whose switch-on the step detector merged with another load's switching (the validation misses of
/// docs/charging-diagnosis.md, "Fifth round: the sessions missed in training-like households"): what the detector hands
/// the classifier must be the charger's own power, once the other load has gone.
/// </summary>
public sealed class MergedSwitchingTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public void A_charger_plugged_in_with_a_rice_cooker_is_classified_at_its_own_power_once_the_cooker_is_off()
    {
        var household = new SimulatedHousehold(seed: 7);
        household.Live.PlugIn(ApplianceKind.Router);
        var classified = new ClassifiedLoads();
        var detector = new ChargingDetector("room-304", classified, new ChargingDetectorOptions());
        Feed(detector, household, TimeSpan.FromMinutes(1));

        // In the same second: one step of both.
        household.Live.PlugIn(ApplianceKind.RiceCooker);
        var pluggedIn = household.Live.PlugIn(ApplianceKind.EbikeLithium48V, stateOfCharge: 0.3).PluggedIn;
        Feed(detector, household, TimeSpan.FromSeconds(17));
        household.Live.Unplug(ApplianceKind.RiceCooker);
        Feed(detector, household, TimeSpan.FromMinutes(1));

        var charger = household.Live.Plugged.Single(p => p.Kind == ApplianceKind.EbikeLithium48V).PowerW;
        classified.Last.StartedAt.Should().BeCloseTo(pluggedIn, 2 * Second, "the rest came on with the cooker, at the plug-in");
        classified.Last.PowerW.Should().BeApproximately(charger, charger * 0.05);
    }

    [Fact]
    public void A_charger_plugged_in_as_a_kettle_goes_off_is_classified_at_its_own_power()
    {
        var household = new SimulatedHousehold(seed: 13);
        household.Live.PlugIn(ApplianceKind.Router);
        var classified = new ClassifiedLoads();
        var detector = new ChargingDetector("room-305", classified, new ChargingDetectorOptions());
        Feed(detector, household, TimeSpan.FromMinutes(1));
        household.Live.PlugIn(ApplianceKind.Kettle);
        Feed(detector, household, TimeSpan.FromMinutes(3));

        // The kettle's drop and the charger's soft start (about 4 s on this seed) in one change: one step of minus the
        // kettle plus the charger, whose first reading went further down than where it settled.
        household.Live.Unplug(ApplianceKind.Kettle);
        var pluggedIn = household.Live.PlugIn(ApplianceKind.EbikeLithium48V, stateOfCharge: 0.3).PluggedIn;
        Feed(detector, household, TimeSpan.FromMinutes(1));

        var charger = household.Live.Plugged.Single(p => p.Kind == ApplianceKind.EbikeLithium48V).PowerW;
        classified.Last.StartedAt.Should().BeCloseTo(pluggedIn, 2 * Second);
        classified.Last.PowerW.Should().BeApproximately(charger, charger * 0.05);
    }

    private static void Feed(ChargingDetector detector, SimulatedHousehold household, TimeSpan duration)
    {
        foreach (var observation in household.Run(duration, Second))
        {
            detector.Observe(observation);
        }
    }

    /// <summary>Stands in for the classifier as the training's recorder does: keeps what it is asked about, answers "not charging".</summary>
    private sealed class ClassifiedLoads : IChargingClassifier
    {
        public (DateTimeOffset StartedAt, double PowerW) Last { get; private set; }

        public float Probability(in Candidate candidate, ReadOnlySpan<float> fingerprint)
        {
            Last = (candidate.StartedAt, fingerprint[1]);
            return 0f;
        }
    }
}
