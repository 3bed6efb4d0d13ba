using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EdgeSafety.Analytics.Charging;

namespace EdgeSafety.Analytics.Cli;

/// <summary>
/// <c>detect FILE.csv</c>: e-bike charging detection on a meter CSV, one JSON object per line per confirmed session
/// (meter, started_at, detected_at, confidence, tier), with the same detector ingest runs.
/// </summary>
internal static class DetectCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "CSV with a header: ts, meter, voltage_v, current_a, power_w, then optional reactive_var, power_factor, thd_i_pct, h3_pct..h15_pct ('-' reads standard input)" };
        var skip = new Option<bool>("--skip-bad-rows") { Description = "Skip rows that cannot be read (counted on standard error) instead of stopping at the first" };
        var models = ModelOptions.Directory();
        var command = new Command("detect", "Detect e-bike charging sessions in a meter CSV file") { file, skip, models };
        command.SetAction(parse => Run(parse.GetValue(file)!, parse.GetValue(skip), parse.GetValue(models)!));
        return command;
    }

    private static int Run(FileInfo file, bool skipBadRows, DirectoryInfo modelDirectory)
    {
        using var input = Open(file);
        if (input is null)
        {
            return 2;
        }

        var classifier = ModelOptions.TryLoad(modelDirectory);
        if (classifier is null)
        {
            return 2;
        }

        using (classifier)
        {
            var reader = new MeterCsvReader(input, skipBadRows, ex => Console.Error.WriteLine($"skipped {ex.Message}"));
            var detectors = new Dictionary<string, ChargingDetector>(StringComparer.Ordinal);
            var options = new ChargingDetectorOptions();
            long outOfOrder = 0;
            try
            {
                foreach (var row in reader.ReadRows())
                {
                    if (!detectors.TryGetValue(row.Meter, out var detector))
                    {
                        detectors[row.Meter] = detector = new ChargingDetector(row.Meter, classifier, options);
                    }

                    var skippedBefore = detector.SkippedReadings;
                    foreach (var charging in detector.Observe(row.Observation))
                    {
                        if (charging.Kind == ChargingEventKind.Started)
                        {
                            Write(charging.Session);
                        }
                    }

                    if (detector.SkippedReadings != skippedBefore)
                    {
                        outOfOrder++;
                        Console.Error.WriteLine($"skipped line {row.Line}: meter {row.Meter} is not later than its previous row");
                    }
                }
            }
            catch (MeterCsvException ex)
            {
                Console.Error.WriteLine($"error: {ex.Message} (use --skip-bad-rows to skip such rows)");
                return 1;
            }

            if (reader.SkippedRows + outOfOrder > 0)
            {
                Console.Error.WriteLine($"{reader.SkippedRows} bad rows and {outOfOrder} out-of-order rows skipped");
            }

            return 0;
        }
    }

    private static TextReader? Open(FileInfo file)
    {
        if (file.Name == "-")
        {
            return Console.In;
        }

        try
        {
            return new StreamReader(file.FullName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: cannot read {file.FullName}: {ex.Message}");
            return null;
        }
    }

    private static readonly JsonSerializerOptions LineFormat = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>One detection as one line: times keep the offset they were given in (UTC for Unix milliseconds).</summary>
    private static void Write(ChargingSession session) =>
        Console.Out.WriteLine(JsonSerializer.Serialize(
            new DetectionLine(session.Meter, IsoTime(session.StartedAt), IsoTime(session.DetectedAt), Math.Round(session.Confidence, 3), ChargingModels.TierName(session.Tier)),
            LineFormat));

    private static string IsoTime(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    private sealed record DetectionLine(string Meter, string StartedAt, string DetectedAt, double Confidence, string Tier);
}
