using System.Globalization;
using EdgeSafety.Alerts;
using EdgeSafety.Analytics.Noise;
using EdgeSafety.Contracts;
using EdgeSafety.Influx;
using EdgeSafety.Ingest.Analysis;

namespace EdgeSafety.Ingest.Noise;

/// <summary>
/// The noise rules on live readings: one <see cref="SensorNoiseMonitor"/> per sensor, fed each <c>db_a</c> with the
/// reading's own time. Windows go to InfluxDB (<c>noise_window</c>, with the energy and duration that longer windows
/// roll up from), every rule step too (<c>noise_event</c>), warnings to the gateway, and the wardens' alerts and
/// bursts to the alert engine as <see cref="AlertSignal"/>s. A zone class given to a sensor in the registry (by an
/// installer in the dashboard) replaces its settings' limits from the registry's next reload on.
/// </summary>
public sealed partial class NoiseAnalyzer(
    NoiseSettingsCatalog catalog,
    AlertEngine engine,
    PointQueue points,
    AlertSignalQueue signals,
    OnSiteWarnings warnings,
    NoiseMetrics metrics,
    IHostApplicationLifetime lifetime,
    ILogger<NoiseAnalyzer> logger) : IReadingAnalyzer
{
    private const string LevelName = "db_a";

    /// <summary>Touched only on the MQTT thread (see <see cref="IReadingAnalyzer"/>).</summary>
    private readonly Dictionary<ReadingSource, Sensor> _sensors = [];
    private readonly List<NoiseOutput> _outputs = [];

    public void Analyze(ReceivedReading received)
    {
        ArgumentNullException.ThrowIfNull(received);
        var reading = received.Reading;
        if (reading.Kind != DeviceKind.Noise || !reading.Values.TryGetValue(LevelName, out var db))
        {
            return;
        }

        var source = received.Source;
        if (!_sensors.TryGetValue(source, out var sensor))
        {
            var settings = catalog.For(source.Site, source.Gateway, source.Device);
            _sensors[source] = sensor = new Sensor(new SensorNoiseMonitor(settings.Monitor), settings);
            LogMonitoring(source.Site, source.Gateway, source.Device, settings.Monitor.Limits.DayDb, settings.Monitor.Limits.NightDb, settings.Monitor.Calendar.Zone.Id);
        }

        if (engine.LoadedRegistry is { } registry && !ReferenceEquals(registry, sensor.RegistrySeen))
        {
            sensor.RegistrySeen = registry;
            ApplyZone(source, sensor, registry.NoiseZoneOf(source.Site, source.Device));
        }

        sensor.Unit = reading.Unit;
        sensor.Profile = reading.Profile;
        _outputs.Clear();
        var rejection = sensor.Monitor.Add(reading.Timestamp, db, _outputs);
        if (rejection != SampleRejection.None)
        {
            metrics.SamplesRefused.Increment(rejection switch
            {
                SampleRejection.NotAfterPrevious => "not_after_previous",
                SampleRejection.OutOfRange => "out_of_range",
                _ => "implausible",
            });
            return;
        }

        foreach (var output in _outputs)
        {
            switch (output)
            {
                case NoiseWindow window:
                    points.Add(WindowPoint(source, sensor, window), lifetime.ApplicationStopping);
                    metrics.Windows.Increment();
                    break;
                case NoiseEvent step:
                    points.Add(EventPoint(source, sensor, step), lifetime.ApplicationStopping);
                    Act(source, sensor, step);
                    break;
            }
        }
    }

    /// <summary>The registry's zone class wins over the settings file's limits; none (or cleared) returns to the file's.</summary>
    private void ApplyZone(ReadingSource source, Sensor sensor, string? zone)
    {
        if (zone == sensor.Zone)
        {
            return;
        }

        var limits = sensor.Settings.Monitor.Limits;
        if (zone is not null && !catalog.TryZoneLimits(source.Site, zone, out limits))
        {
            LogUnknownZone(source.Site, source.Gateway, source.Device, zone);
            return;
        }

        sensor.Zone = zone;
        if (limits != sensor.Monitor.Settings.Limits)
        {
            sensor.Monitor.ChangeLimits(limits);
            if (zone is null)
            {
                LogZoneCleared(source.Site, source.Gateway, source.Device, limits.DayDb, limits.NightDb);
            }
            else
            {
                LogZoneChanged(source.Site, source.Gateway, source.Device, zone, limits.DayDb, limits.NightDb);
            }
        }
    }

    private void Act(ReadingSource source, Sensor sensor, NoiseEvent step)
    {
        var (site, gateway, device) = (source.Site, source.Gateway, source.Device);
        switch (step.Kind)
        {
            case NoiseEventKind.Exceedance:
                metrics.Exceedances.Increment();
                LogExceedance(site, gateway, device, step.LevelDb, step.LimitDb, step.At);
                break;
            case NoiseEventKind.OnSiteWarning:
                if (step.WarningNumber == 1)
                {
                    sensor.FirstWarningAt = step.At;
                }

                warnings.Request(new OnSiteWarningRequest(site, gateway, device, step.WarningNumber, sensor.Settings.WarningMessage, sensor.Settings.WarningText, step.At));
                break;
            case NoiseEventKind.WardenAlert:
                LogWardensAlerted(site, gateway, device, step.LevelDb, step.LimitDb, step.EpisodeStart);
                Signal(AlertKind.NoiseExceedance, true, source, sensor, step, new Dictionary<string, string>
                {
                    ["laeq_db"] = Db(step.LevelDb),
                    ["limit_db"] = Db(step.LimitDb),
                    ["period"] = NoiseNames.Of(step.Period),
                    ["exceeding_since"] = Time(step.EpisodeStart!.Value),
                    ["warning_1_at"] = sensor.FirstWarningAt is { } first ? Time(first) : string.Empty,
                    ["warning_2_at"] = Time(step.At),
                });
                break;
            case NoiseEventKind.ExceedanceCleared:
                LogCleared(site, gateway, device, step.LevelDb, step.At);
                if (step.WardensAlerted)
                {
                    Signal(AlertKind.NoiseExceedance, false, source, sensor, step, new Dictionary<string, string>
                    {
                        ["laeq_db"] = Db(step.LevelDb),
                        ["limit_db"] = Db(step.LimitDb),
                        ["exceeding_since"] = Time(step.EpisodeStart!.Value),
                    });
                }

                break;
            case NoiseEventKind.NightBurst:
                LogBurst(site, gateway, device, step.LevelDb, step.LimitDb, step.At);
                Signal(AlertKind.NightNoiseBurst, true, source, sensor, step, new Dictionary<string, string>
                {
                    ["lmax_db"] = Db(step.LevelDb),
                    ["night_limit_db"] = Db(step.LimitDb),
                    ["burst_threshold_db"] = Db(step.LimitDb + sensor.Monitor.Settings.BurstMarginDb),
                });
                break;
            case NoiseEventKind.NightBurstCleared:
                Signal(AlertKind.NightNoiseBurst, false, source, sensor, step, new Dictionary<string, string> { ["lmax_db"] = Db(step.LevelDb) });
                break;
        }
    }

    private void Signal(AlertKind kind, bool active, ReadingSource source, Sensor sensor, NoiseEvent step, Dictionary<string, string> evidence) =>
        signals.Add(new AlertSignal(kind, active, source.Site, source.Gateway, source.Device, sensor.Unit, step.At, evidence), lifetime.ApplicationStopping);

    private static InfluxPoint Tagged(string measurement, DateTimeOffset at, ReadingSource source, Sensor sensor)
    {
        var point = new InfluxPoint(measurement, at)
            .Tag("site", source.Site)
            .Tag("gateway", source.Gateway)
            .Tag("device", source.Device)
            .Tag("profile", sensor.Profile);
        return sensor.Unit is null ? point : point.Tag("unit", sensor.Unit);
    }

    /// <summary>A window at its start time; energy and duration_s are the stored form any longer window sums from.</summary>
    public static InfluxPoint WindowPoint(ReadingSource source, Sensor sensor, NoiseWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        var point = Tagged("noise_window", window.Start, source, sensor)
            .Tag("window", window.Name)
            .Tag("period", NoiseNames.Of(window.Period))
            .Field("energy", window.Exposure.Energy)
            .Field("duration_s", window.Exposure.Seconds)
            .Field("length_s", (window.End - window.Start).TotalSeconds)
            .Field("limit_db", window.LimitDb);
        if (window.Laeq is { } laeq)
        {
            point.Field("laeq_db", laeq);
        }

        return window.Lmax is { } lmax ? point.Field("lmax_db", lmax) : point;
    }

    /// <summary>A rule step at its time; the event tag keeps steps at the same instant apart.</summary>
    public static InfluxPoint EventPoint(ReadingSource source, Sensor sensor, NoiseEvent step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var point = Tagged("noise_event", step.At, source, sensor)
            .Tag("event", NoiseNames.Of(step.Kind))
            .Tag("period", NoiseNames.Of(step.Period))
            .Field(step.IsMaximum ? "lmax_db" : "laeq_db", step.LevelDb)
            .Field("limit_db", step.LimitDb);
        return step.WarningNumber > 0 ? point.Field("warning", (long)step.WarningNumber) : point;
    }

    private static string Db(double db) => db.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 2601, Level = LogLevel.Information, Message = "Noise sensor {Site}/{Gateway}/{Device}: limits {DayDb}/{NightDb} dB(A), time zone {TimeZone}")]
    private partial void LogMonitoring(string site, string gateway, string device, double dayDb, double nightDb, string timeZone);

    [LoggerMessage(EventId = 2602, Level = LogLevel.Information, Message = "Noise exceedance at {Site}/{Gateway}/{Device}: LAeq {Laeq:0.0} over {Limit} dB(A), confirmed at {At:O}")]
    private partial void LogExceedance(string site, string gateway, string device, double laeq, double limit, DateTimeOffset at);

    [LoggerMessage(EventId = 2603, Level = LogLevel.Warning, Message = "Noise exceedance at {Site}/{Gateway}/{Device} goes on after a warning (LAeq {Laeq:0.0} over {Limit} dB(A) since {Since:O}): wardens alerted")]
    private partial void LogWardensAlerted(string site, string gateway, string device, double laeq, double limit, DateTimeOffset? since);

    [LoggerMessage(EventId = 2604, Level = LogLevel.Information, Message = "Noise exceedance at {Site}/{Gateway}/{Device} cleared (LAeq {Laeq:0.0} dB(A)) at {At:O}")]
    private partial void LogCleared(string site, string gateway, string device, double laeq, DateTimeOffset at);

    [LoggerMessage(EventId = 2605, Level = LogLevel.Information, Message = "Night noise burst at {Site}/{Gateway}/{Device}: {Lmax:0.0} dB(A) against a night limit of {Limit} at {At:O}")]
    private partial void LogBurst(string site, string gateway, string device, double lmax, double limit, DateTimeOffset at);

    [LoggerMessage(EventId = 2606, Level = LogLevel.Information, Message = "Noise sensor {Site}/{Gateway}/{Device}: zone class {Zone} from the registry, limits now {DayDb}/{NightDb} dB(A)")]
    private partial void LogZoneChanged(string site, string gateway, string device, string zone, double dayDb, double nightDb);

    [LoggerMessage(EventId = 2608, Level = LogLevel.Information, Message = "Noise sensor {Site}/{Gateway}/{Device}: zone class cleared in the registry, back to the settings' limits {DayDb}/{NightDb} dB(A)")]
    private partial void LogZoneCleared(string site, string gateway, string device, double dayDb, double nightDb);

    [LoggerMessage(EventId = 2607, Level = LogLevel.Warning, Message = "Noise sensor {Site}/{Gateway}/{Device}: the registry's zone class '{Zone}' is not one of GB 3096-2008; its limits stay as they were")]
    private partial void LogUnknownZone(string site, string gateway, string device, string zone);

    /// <summary>A sensor's monitor and what the rules' steps need about it.</summary>
    public sealed class Sensor(SensorNoiseMonitor monitor, SensorNoiseSettings settings)
    {
        public SensorNoiseMonitor Monitor { get; } = monitor;

        public SensorNoiseSettings Settings { get; } = settings;

        public string? Unit { get; set; }

        public string Profile { get; set; } = string.Empty;

        public DateTimeOffset? FirstWarningAt { get; set; }

        /// <summary>The registry object last looked at: the zone is looked up again only when it was reloaded.</summary>
        public Registry? RegistrySeen { get; set; }

        /// <summary>The zone class from the registry in force, or null for the settings' limits.</summary>
        public string? Zone { get; set; }
    }
}
