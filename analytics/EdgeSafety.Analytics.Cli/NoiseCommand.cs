using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using EdgeSafety.Analytics.Noise;

namespace EdgeSafety.Analytics.Cli;

/// <summary>
/// <c>noise FILE.csv --zone CLASS</c>: the windows and rule steps the live noise rules would produce from a CSV of
/// levels (complaint logs, audits), one JSON object per line, through the same <see cref="SensorNoiseMonitor"/>
/// that ingest runs.
/// </summary>
internal static class NoiseCommand
{
    /// <summary>Offsets stay readable ("+08:00", not "\u002B08:00"); the output is JSON lines, never HTML.</summary>
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "CSV with a header naming ts (ISO-8601 with offset, or Unix ms), sensor and db_a" };
        var zone = new Option<string>("--zone") { Description = "GB 3096-2008 zone class of every sensor: 0, 1, 2, 3, 4a or 4b" };
        var limits = new Option<string>("--limits") { Description = "own day/night limits in dB(A) instead of a zone class, e.g. 55/45" };
        var timeZone = new Option<string>("--tz") { Description = "the sensors' time zone (IANA)", DefaultValueFactory = _ => "Asia/Shanghai" };
        var dayStart = new Option<string>("--day-start") { Description = "local time the day period starts", DefaultValueFactory = _ => "06:00" };
        var nightStart = new Option<string>("--night-start") { Description = "local time the night period starts", DefaultValueFactory = _ => "22:00" };
        var windows = new Option<string>("--windows") { Description = "short window lengths in minutes, comma-separated, each dividing an hour; 5 is the rule window", DefaultValueFactory = _ => "1,5,15" };
        var skipBad = new Option<bool>("--skip-bad-rows") { Description = "skip unusable rows and count them (on stderr) instead of stopping at the first" };

        var command = new Command("noise", "Noise windows (LAeq, Lmax) and the alerts the rules would raise, one JSON line each.")
        {
            file, zone, limits, timeZone, dayStart, nightStart, windows, skipBad,
        };
        command.SetAction(result =>
        {
            if (ReadSettings(result.GetValue(zone), result.GetValue(limits), result.GetValue(timeZone)!, result.GetValue(dayStart)!,
                    result.GetValue(nightStart)!, result.GetValue(windows)!, out var settings) is { } problem)
            {
                Console.Error.WriteLine($"noise: {problem}");
                return 2;
            }

            var path = result.GetValue(file)!;
            if (!path.Exists)
            {
                Console.Error.WriteLine($"noise: no file {path.FullName}");
                return 1;
            }

            using var reader = path.OpenText();
            using var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false };
            return Run(reader, output, Console.Error, settings, result.GetValue(skipBad));
        });
        return command;
    }

    internal static string? ReadSettings(string? zone, string? limits, string timeZone, string dayStart, string nightStart, string windows,
        out NoiseMonitorSettings settings)
    {
        settings = null!;
        ZoneLimits? zoneLimits = null;
        if ((zone is null) == (limits is null))
        {
            return "give either --zone CLASS or --limits DAY/NIGHT";
        }

        if (zone is not null && !ZoneClasses.Gb3096.TryGet(zone, out zoneLimits))
        {
            return $"--zone '{zone}' is not a zone class of GB 3096-2008 ({string.Join(", ", ZoneClasses.Gb3096.Names)})";
        }

        if (limits is not null && !ZoneLimits.TryParse(limits, out zoneLimits, out var limitsError))
        {
            return $"--limits: {limitsError}";
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var tz))
        {
            return $"--tz '{timeZone}' is not a known time zone (IANA name, e.g. Asia/Shanghai)";
        }

        if (!TimeOnly.TryParseExact(dayStart, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            || !TimeOnly.TryParseExact(nightStart, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var night))
        {
            return "--day-start and --night-start are local times as HH:mm";
        }

        var lengths = windows.Split(',').Select(w => int.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) ? minutes : 0).ToList();
        if (lengths.Any(minutes => minutes <= 0))
        {
            return $"--windows '{windows}' is not a list of minutes such as 1,5,15";
        }

        settings = new NoiseMonitorSettings
        {
            Limits = zoneLimits!,
            Calendar = new NoiseCalendar(tz, day, night),
            WindowLengths = [.. lengths.Select(minutes => TimeSpan.FromMinutes(minutes))],
        };
        return settings.Problem();
    }

    internal static int Run(TextReader reader, TextWriter output, TextWriter errors, NoiseMonitorSettings settings, bool skipBad)
    {
        var monitors = new Dictionary<string, SensorNoiseMonitor>(StringComparer.Ordinal);
        var outputs = new List<NoiseOutput>();
        var (rows, skipped) = (0, 0);
        string? firstSkipped = null;
        try
        {
            foreach (var row in NoiseCsv.Read(reader))
            {
                var error = row.Error;
                if (error is null)
                {
                    if (!monitors.TryGetValue(row.Sensor, out var monitor))
                    {
                        monitors[row.Sensor] = monitor = new SensorNoiseMonitor(settings);
                    }

                    error = monitor.Add(row.At, row.Db, outputs) switch
                    {
                        SampleRejection.NotAfterPrevious => $"ts {row.At:O} is not after the previous row of sensor {row.Sensor}",
                        SampleRejection.Implausible => $"db_a {row.Db} is not a sound level",
                        SampleRejection.OutOfRange => $"ts {row.At:O} is outside the years 1970 to 9998",
                        _ => null,
                    };
                    Write(output, row.Sensor, outputs, settings.Calendar);
                }

                if (error is not null)
                {
                    if (!skipBad)
                    {
                        output.Flush();
                        errors.WriteLine($"noise: line {row.Line}: {error} (--skip-bad-rows skips such rows)");
                        return 1;
                    }

                    skipped++;
                    firstSkipped ??= $"line {row.Line}: {error}";
                }
                else
                {
                    rows++;
                }
            }
        }
        catch (FormatException ex)
        {
            errors.WriteLine($"noise: {ex.Message}");
            return 1;
        }

        foreach (var (sensor, monitor) in monitors)
        {
            monitor.Flush(outputs);
            Write(output, sensor, outputs, settings.Calendar);
        }

        output.Flush();
        errors.WriteLine($"noise: {rows} rows of {monitors.Count} sensors" + (skipped > 0 ? $", {skipped} bad rows skipped (first: {firstSkipped})" : string.Empty));
        return 0;
    }

    private static void Write(TextWriter output, string sensor, List<NoiseOutput> outputs, NoiseCalendar calendar)
    {
        foreach (var item in outputs)
        {
            output.WriteLine(ToJson(sensor, item, calendar));
        }

        outputs.Clear();
    }

    /// <summary>Times in the sensors' local time with its offset, as an auditor reads them; levels to 0.1 dB, as meters show them.</summary>
    private static string ToJson(string sensor, NoiseOutput item, NoiseCalendar calendar)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            json.WriteString("sensor", sensor);
            switch (item)
            {
                case NoiseWindow window:
                    json.WriteString("window", window.Name);
                    json.WriteString("start", Local(window.Start, calendar));
                    json.WriteString("end", Local(window.End, calendar));
                    WriteLevel(json, "laeq", window.Laeq);
                    WriteLevel(json, "lmax", window.Lmax);
                    json.WriteNumber("limit", window.LimitDb);
                    json.WriteString("period", NoiseNames.Of(window.Period));
                    json.WriteNumber("coverage", Math.Round(window.Coverage, 3));
                    break;
                case NoiseEvent step:
                    json.WriteString("kind", NoiseNames.Of(step.Kind));
                    json.WriteString("at", Local(step.At, calendar));
                    WriteLevel(json, step.IsMaximum ? "lmax" : "laeq", step.LevelDb);
                    json.WriteNumber("limit", step.LimitDb);
                    json.WriteString("period", NoiseNames.Of(step.Period));
                    if (step.WarningNumber > 0)
                    {
                        json.WriteNumber("warning", step.WarningNumber);
                    }

                    break;
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteLevel(Utf8JsonWriter json, string name, double? db)
    {
        if (db is { } value && double.IsFinite(value))
        {
            json.WriteNumber(name, Math.Round(value, 1));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static string Local(DateTimeOffset instant, NoiseCalendar calendar) =>
        calendar.ToLocal(instant).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFzzz", CultureInfo.InvariantCulture);
}
