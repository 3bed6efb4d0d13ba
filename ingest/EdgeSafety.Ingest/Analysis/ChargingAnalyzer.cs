using System.Globalization;
using EdgeSafety.Alerts;
using EdgeSafety.Analytics.Charging;
using EdgeSafety.Contracts;
using EdgeSafety.Influx;
using Microsoft.Extensions.Options;

namespace EdgeSafety.Ingest.Analysis;

/// <summary>
/// E-bike charging detection on every meter's readings, one detector per device (the detector of the analytics
/// library, the same that `detect` and `evaluate` run). A confirmed session raises the 'e-bike charging' signal for
/// the unit the meter measures, its end clears it, and a session past the configured limit raises 'charging
/// unusually long'; each step of a session is also written as a <c>charging_session</c> point.
/// </summary>
public sealed partial class ChargingAnalyzer(
    ChargingModels models,
    IOptions<ChargingOptions> options,
    PointQueue points,
    AlertSignalQueue signals,
    ILogger<ChargingAnalyzer> logger) : IReadingAnalyzer
{
    private const string Measurement = "charging_session";
    private readonly Dictionary<(string Site, string Gateway, string Device), ChargingDetector> _detectors = [];
    private readonly ChargingDetectorOptions _detectorOptions = options.Value.Detector;

    public void Analyze(ReceivedReading received)
    {
        var reading = received.Reading;
        if (reading.Kind != DeviceKind.Meter || !TryObservation(reading, out var observation))
        {
            return;
        }

        var key = (received.Source.Site, received.Source.Gateway, reading.Device);
        if (!_detectors.TryGetValue(key, out var detector))
        {
            _detectors[key] = detector = new ChargingDetector(reading.Device, models, _detectorOptions);
        }

        foreach (var charging in detector.Observe(observation))
        {
            Publish(received, charging);
        }
    }

    /// <summary>A meter reading the detector can use: voltage, current and active power at least (the protocol's value names).</summary>
    public static bool TryObservation(Reading reading, out MeterObservation observation)
    {
        var values = reading.Values;
        if (!values.TryGetValue("voltage_v", out var voltage) || !values.TryGetValue("current_a", out var current) ||
            !values.TryGetValue("power_w", out var power) || voltage <= 0)
        {
            observation = default;
            return false;
        }

        var harmonics = default(OddHarmonics);
        var all = true;
        for (var i = 0; i < OddHarmonics.Count && all; i++)
        {
            all = values.TryGetValue(HarmonicNames[i], out harmonics[i]);
        }

        observation = new MeterObservation(reading.Timestamp, voltage, current, power)
        {
            ReactiveVar = Optional(values, "reactive_var"),
            PowerFactor = Optional(values, "power_factor"),
            ThdIPct = Optional(values, "thd_i_pct"),
            Harmonics = all ? harmonics : null,
        };
        return true;
    }

    private static readonly string[] HarmonicNames = [.. Enumerable.Range(0, OddHarmonics.Count).Select(i => $"h{OddHarmonics.OrderAt(i)}_pct")];

    private static double? Optional(IReadOnlyDictionary<string, double> values, string name) =>
        values.TryGetValue(name, out var value) ? value : null;

    private void Publish(ReceivedReading received, ChargingEvent charging)
    {
        var session = charging.Session;
        var source = received.Source;
        var reading = received.Reading;
        switch (charging.Kind)
        {
            case ChargingEventKind.Started:
                LogStarted(logger, reading.Device, reading.Unit, session.PowerAddedW, session.Confidence, session.StartedAt);
                Signal(AlertKind.EbikeCharging, active: true);
                break;
            case ChargingEventKind.Ended:
                LogEnded(logger, reading.Device, reading.Unit, session.DurationAt(charging.At).TotalMinutes, session.EnergyWh);
                Signal(AlertKind.EbikeCharging, active: false);
                if (session.DurationAt(charging.At).TotalHours >= _detectorOptions.UnusuallyLongHours)
                {
                    Signal(AlertKind.ChargingUnusuallyLong, active: false);
                }

                break;
            case ChargingEventKind.UnusuallyLong:
                Signal(AlertKind.ChargingUnusuallyLong, active: true);
                break;
        }

        var point = new InfluxPoint(Measurement, charging.At)
            .Tag("site", source.Site)
            .Tag("gateway", source.Gateway)
            .Tag("device", reading.Device)
            .Field("event", EventName(charging.Kind))
            .Field("started_at_ms", session.StartedAt.ToUnixTimeMilliseconds())
            .Field("stage", StageName(session.Stage))
            .Field("duration_s", Math.Round(session.DurationAt(charging.At).TotalSeconds))
            .Field("energy_wh", Math.Round(session.EnergyWh, 1))
            .Field("power_w", Math.Round(session.PowerW, 1))
            .Field("power_added_w", Math.Round(session.PowerAddedW, 1))
            .Field("confidence", Math.Round(session.Confidence, 3))
            .Field("tier", ChargingModels.TierName(session.Tier));
        if (reading.Unit is not null)
        {
            point.Tag("unit", reading.Unit);
        }

        points.Add(point, CancellationToken.None);

        void Signal(AlertKind kind, bool active) => signals.Add(new AlertSignal(kind, active, source.Site, source.Gateway, reading.Device, reading.Unit, charging.At, Evidence(session, charging.At)), CancellationToken.None);
    }

    /// <summary>The figures the landlord and the warden see with the alert, named as in the protocol.</summary>
    private static Dictionary<string, string> Evidence(ChargingSession session, DateTimeOffset at)
    {
        var evidence = new Dictionary<string, string>
        {
            ["confidence"] = Invariant(Math.Round(session.Confidence, 3)),
            ["power_w"] = Invariant(Math.Round(session.PowerAddedW, 1)),
            ["tier"] = ChargingModels.TierName(session.Tier),
            ["started_at"] = session.StartedAt.ToString("O", CultureInfo.InvariantCulture),
            ["stage"] = StageName(session.Stage),
            ["duration_s"] = Invariant(Math.Round(session.DurationAt(at).TotalSeconds)),
            ["energy_wh"] = Invariant(Math.Round(session.EnergyWh, 1)),
        };
        if (session.EndedAt is { } ended)
        {
            evidence["ended_at"] = ended.ToString("O", CultureInfo.InvariantCulture);
        }

        return evidence;
    }

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string EventName(ChargingEventKind kind) => kind switch
    {
        ChargingEventKind.Started => "started",
        ChargingEventKind.StageChanged => "stage_changed",
        ChargingEventKind.Ended => "ended",
        _ => "unusually_long",
    };

    private static string StageName(ChargingStage stage) => stage switch
    {
        ChargingStage.Bulk => "bulk",
        ChargingStage.Absorption => "absorption",
        _ => "float",
    };

    [LoggerMessage(EventId = 2621, Level = LogLevel.Information, Message = "E-bike charging on {Device} (unit {Unit}): {PowerW:F0} W added, confidence {Confidence:F2}, since {StartedAt:O}")]
    private static partial void LogStarted(ILogger logger, string device, string? unit, double powerW, double confidence, DateTimeOffset startedAt);

    [LoggerMessage(EventId = 2622, Level = LogLevel.Information, Message = "E-bike charging ended on {Device} (unit {Unit}) after {Minutes:F0} min, {EnergyWh:F0} Wh")]
    private static partial void LogEnded(ILogger logger, string device, string? unit, double minutes, double energyWh);
}
