using EdgeSafety.Analytics.Charging;
using EdgeSafety.Analytics.Noise;
using EdgeSafety.Contracts;
using EdgeSafety.Ingest.Analysis;
using EdgeSafety.LoadGenerator;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Ingest.Tests;

/// <summary>
/// The load generator's incidents are what ingest's analysers recognise, so that a load run raises alerts: the
/// committed charging models and the noise rules with their default settings, fed one device's readings as ingest
/// feeds them.
/// </summary>
public sealed class LoadIncidentTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 4, 14, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_incident_meter_is_recognised_as_charging_and_a_quiet_one_is_not()
    {
        var models = ChargingModels.Load(RepositoryPaths.File("analytics", "models"));
        ChargingEventKind[] Events(bool incident)
        {
            var device = Device(DeviceKind.Meter, incident);
            var detector = new ChargingDetector(device.Id, models, new ChargingDetectorOptions());
            return [.. Enumerable.Range(0, 200).SelectMany(_ => ChargingAnalyzer.TryObservation(device.Next(Start), out var observation)
                ? detector.Observe(observation).Select(e => e.Kind) : [])];
        }

        Events(incident: true).Should().Contain(ChargingEventKind.Started);
        Events(incident: false).Should().NotContain(ChargingEventKind.Started);
    }

    [Fact]
    public void An_incident_noise_sensor_breaches_the_limit_within_sixteen_minutes()
    {
        var device = Device(DeviceKind.Noise, incident: true);
        var monitor = new SensorNoiseMonitor(new NoiseMonitorSettings { Limits = new ZoneLimits(DayDb: 60, NightDb: 50) });
        var outputs = new List<NoiseOutput>();
        for (var i = 0; i < 200; i++)
        {
            var reading = device.Next(Start);
            monitor.Add(reading.Timestamp, reading.Values["db_a"], outputs);
        }

        outputs.OfType<NoiseEvent>().Should().Contain(e => e.Kind == NoiseEventKind.Exceedance);
    }

    private static VirtualDevice Device(DeviceKind kind, bool incident) =>
        new("load", "gw-0001", kind == DeviceKind.Noise ? "noise-010" : "meter-001", kind, kind == DeviceKind.Noise ? null : "room-1",
            partitioned: true, seed: 7)
        { ReadingInterval = TimeSpan.FromSeconds(5), Incident = incident };
}
