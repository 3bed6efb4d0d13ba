using EdgeSafety.Analytics.Charging;
using EdgeSafety.Appliances;

namespace EdgeSafety.Analytics.Tests;

/// <summary>The detector with the committed models on households of the appliance library.</summary>
public sealed class ChargingDetectorTests : IDisposable
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private readonly ChargingModels _models = SimulatedHousehold.CommittedModels();

    public void Dispose() => _models.Dispose();

    [Theory]
    [InlineData(ApplianceKind.EbikeLithium48V, MeterTier.Harmonic)]
    [InlineData(ApplianceKind.EbikeLeadAcid60V, MeterTier.Harmonic)]
    [InlineData(ApplianceKind.EbikeLithium60VPfc, MeterTier.Harmonic)]
    [InlineData(ApplianceKind.EbikeLeadAcid48V, MeterTier.Thd)]
    public void A_charger_plugged_in_among_other_loads_is_confirmed_within_a_minute_and_ends_when_unplugged(ApplianceKind charger, MeterTier tier)
    {
        var household = new SimulatedHousehold(seed: 3);
        household.Live.PlugIn(ApplianceKind.Router);
        household.Live.PlugIn(ApplianceKind.LedLighting);
        household.Live.PlugIn(ApplianceKind.Television);
        var detector = new ChargingDetector("room-301", _models, new ChargingDetectorOptions());
        var events = Feed(detector, household, TimeSpan.FromMinutes(3), tier);

        var pluggedIn = household.Live.PlugIn(charger, stateOfCharge: 0.3).PluggedIn;
        events.AddRange(Feed(detector, household, TimeSpan.FromMinutes(10), tier));
        household.Live.Unplug(charger);
        events.AddRange(Feed(detector, household, TimeSpan.FromMinutes(4), tier));

        events.Select(e => e.Kind).Should().StartWith(ChargingEventKind.Started).And.EndWith(ChargingEventKind.Ended);
        events.Count(e => e.Kind == ChargingEventKind.Started).Should().Be(1);
        var started = events[0].Session;
        started.Meter.Should().Be("room-301");
        started.Tier.Should().Be(tier);
        started.StartedAt.Should().BeCloseTo(pluggedIn, TimeSpan.FromSeconds(2));
        (started.DetectedAt - pluggedIn).Should().BeLessThan(TimeSpan.FromMinutes(1));
        started.Confidence.Should().BeInRange(new ChargingDetectorOptions().ConfirmProbability, 1);
        var ended = events[^1].Session;
        ended.EndedAt.Should().BeCloseTo(pluggedIn + TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(3));
        ended.EnergyWh.Should().BeInRange(ended.PowerAddedW * 10 / 60 * 0.8, ended.PowerAddedW * 10 / 60 * 1.25);
    }

    [Fact]
    public void A_session_past_the_limit_is_reported_unusually_long_once()
    {
        var household = new SimulatedHousehold(seed: 4);
        household.Live.PlugIn(ApplianceKind.Router);
        var detector = new ChargingDetector("room-303", _models, new ChargingDetectorOptions { UnusuallyLongHours = 0.1 });
        Feed(detector, household, TimeSpan.FromMinutes(2), MeterTier.Harmonic);

        var pluggedIn = household.Live.PlugIn(ApplianceKind.EbikeLeadAcid72V, stateOfCharge: 0.2).PluggedIn;
        var events = Feed(detector, household, TimeSpan.FromMinutes(12), MeterTier.Harmonic);

        events.Select(e => e.Kind).Should().Equal(ChargingEventKind.Started, ChargingEventKind.UnusuallyLong);
        events[1].At.Should().BeCloseTo(pluggedIn + TimeSpan.FromMinutes(6), TimeSpan.FromSeconds(3));
        detector.ActiveSessions.Should().ContainSingle().Which.Stage.Should().Be(EdgeSafety.Analytics.Charging.ChargingStage.Bulk);
    }

    [Fact]
    public void Look_alikes_switched_on_and_off_raise_no_alarm_at_any_tier()
    {
        var household = new SimulatedHousehold(seed: 5);
        household.Live.PlugIn(ApplianceKind.Router);
        var detectors = Enum.GetValues<MeterTier>().Select(t => (Tier: t, Detector: new ChargingDetector("room-302", _models, new ChargingDetectorOptions()))).ToList();
        var started = new List<(MeterTier, ChargingEvent)>();
        void Run(TimeSpan duration)
        {
            foreach (var observation in household.Run(duration, Second))
            {
                foreach (var (tier, detector) in detectors)
                {
                    started.AddRange(detector.Observe(observation.AsTier(tier)).Where(e => e.Kind == ChargingEventKind.Started).Select(e => (tier, e)));
                }
            }
        }

        Run(TimeSpan.FromMinutes(2));
        foreach (var kind in new[] { ApplianceKind.LaptopCharger, ApplianceKind.Kettle, ApplianceKind.PhoneCharger, ApplianceKind.Monitor, ApplianceKind.Fan })
        {
            household.Live.PlugIn(kind);
            Run(TimeSpan.FromMinutes(4));
            if (kind is ApplianceKind.Kettle or ApplianceKind.Fan)
            {
                household.Live.Unplug(kind);
                Run(TimeSpan.FromMinutes(1));
            }
        }

        started.Should().BeEmpty();
    }

    [Fact]
    public void Readings_out_of_time_order_are_skipped_and_counted()
    {
        var detector = new ChargingDetector("m", _models, new ChargingDetectorOptions());
        var at = SimulatedHousehold.Start;

        detector.Observe(new MeterObservation(at, 220, 1, 200));
        detector.Observe(new MeterObservation(at, 220, 1, 200));
        detector.Observe(new MeterObservation(at.AddSeconds(-5), 220, 1, 200));

        detector.SkippedReadings.Should().Be(2);
    }

    private static List<ChargingEvent> Feed(ChargingDetector detector, SimulatedHousehold household, TimeSpan duration, MeterTier tier) =>
        [.. household.Run(duration, Second).SelectMany(o => detector.Observe(o.AsTier(tier)).ToList())];
}
