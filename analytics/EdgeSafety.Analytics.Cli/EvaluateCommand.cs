using System.CommandLine;
using System.Text.Json;
using EdgeSafety.Analytics.Charging;
using EdgeSafety.Analytics.Cli.Charging;
using EdgeSafety.Appliances;
using EdgeSafety.XGBoost;

namespace EdgeSafety.Analytics.Cli;

/// <summary>
/// <c>evaluate</c>: the detector with the committed (or given) models on households never trained on: other seeds
/// with the Training parameters, and the HeldOut parameter set (charger and appliance parameters outside the
/// training ranges). Prints and writes, per tier and per charger kind: recall, latency from plug-in (median, p95),
/// false alarms per household-day and the appliances that caused them.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var models = ModelOptions.Directory();
        var households = new Option<int>("--households") { Description = "Households per scenario set", DefaultValueFactory = _ => 100 };
        var days = new Option<double>("--days") { Description = "Days per household", DefaultValueFactory = _ => 2 };
        var sampling = new Option<string[]>("--sampling") { Description = "Samplings to run: 1-2s (the latency target's), 5-15s, 60s", DefaultValueFactory = _ => ["1-2s"], AllowMultipleArgumentsPerToken = true };
        var report = new Option<DirectoryInfo>("--report")
        {
            Description = "Where to write evaluation.md, evaluation.json and the diagnosis CSVs (a run of the households writes analytics/evaluation unless told; --record and --replay write only when given)",
            DefaultValueFactory = _ => new DirectoryInfo("analytics/evaluation"),
        };
        var firstSeed = new Option<int>("--first-seed")
        {
            Description = "First seed of the other-seeds set (the HeldOut set starts 100,000 above it); the committed figures use 100001, choose settings on others",
            DefaultValueFactory = _ => FirstSeed,
        };
        var detector = new Option<string[]>("--detector")
        {
            Description = "Detector settings NAME=VALUE instead of the defaults (the names of ingest's Charging:Detector section, e.g. ConfirmProbability=0.9)",
            AllowMultipleArgumentsPerToken = true,
        };
        var record = new Option<FileInfo>("--record")
        {
            Description = "Record every load's checkpoint probabilities to this file (nothing confirmed while recording), then print the replay's figures; "
                + "with --replay: write the recording as replayed (classified again when given --fingerprints)",
        };
        var replay = new Option<FileInfo>("--replay") { Description = "Score the detector settings on a file written by --record instead of running the households (seconds instead of minutes)" };
        var fingerprints = new Option<FileInfo>("--fingerprints")
        {
            Description = "With --record: also write every checkpoint's whole fingerprint to this file (binary); with --replay: classify them again with --models instead of the recorded probabilities",
        };
        var command = new Command("evaluate", "Evaluate the e-bike charging detector on held-out simulated households") { models, households, days, sampling, report, firstSeed, detector, record, replay, fingerprints };
        command.SetAction(parse =>
        {
            IReadOnlyList<Sampling> samplings;
            ChargingDetectorOptions options;
            try
            {
                samplings = [.. parse.GetValue(sampling)!.Select(Sampling.Parse)];
                options = DetectorSettings.Parse(parse.GetValue(detector) ?? []);
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return 2;
            }

            // --record and --replay are for trying settings: they overwrite a report folder only when asked to.
            var reportDirectory = parse.GetResult(report) is { Implicit: false } ? parse.GetValue(report) : null;
            if (parse.GetValue(replay) is { } recording)
            {
                return Replay(recording, options, parse.GetValue(fingerprints), parse.GetValue(models)!, reportDirectory, parse.GetValue(record));
            }

            var count = parse.GetValue(households);
            var length = parse.GetValue(days);
            if (count < 1 || length is < 0.1 or > 60)
            {
                Console.Error.WriteLine("error: --households must be at least 1 and --days between 0.1 and 60");
                return 2;
            }

            var seed = parse.GetValue(firstSeed);
            if (seed is < 1 or > 1_000_000_000)
            {
                Console.Error.WriteLine("error: --first-seed must be between 1 and 1,000,000,000");
                return 2;
            }

            var sets = samplings.SelectMany(s => new ScenarioSet[]
            {
                new($"other-seeds-{s.Name}", ParameterSet.Training, seed, count, length, s),
                new($"held-out-{s.Name}", ParameterSet.HeldOut, seed + HeldOutSeedOffset, count, length, s),
            }).ToList();
            return parse.GetValue(record) is { } file
                ? Record(parse.GetValue(models)!, sets, options, file, parse.GetValue(fingerprints), reportDirectory)
                : Run(parse.GetValue(models)!, sets, options, parse.GetValue(report)!);
        });
        return command;
    }

    /// <summary>The committed evaluation's first seed: training uses seeds from 1, so these households were never trained on.</summary>
    private const int FirstSeed = 100_001;

    private const int HeldOutSeedOffset = 100_000;

    private static int Record(DirectoryInfo modelDirectory, IReadOnlyList<ScenarioSet> sets, ChargingDetectorOptions options, FileInfo file, FileInfo? fingerprints,
        DirectoryInfo? reportDirectory)
    {
        using var models = ModelOptions.TryLoad(modelDirectory);
        if (models is null)
        {
            return 2;
        }

        var recorded = new List<RecordedSet>();
        foreach (var set in sets)
        {
            Console.Error.WriteLine($"recording {set.Name}: {set.Households} households x {set.Days} days...");
            recorded.Add(CheckpointRecording.Record(set, models, options));
        }

        CheckpointRecording.Write(file.FullName, recorded);
        Console.Error.WriteLine($"wrote {file.FullName}");
        if (fingerprints is not null)
        {
            CheckpointRecording.WriteFingerprints(fingerprints.FullName, recorded);
            Console.Error.WriteLine($"wrote {fingerprints.FullName}");
        }

        Report([.. recorded.Select(r => (r.Set, CheckpointRecording.Replay(r, options)))], reportDirectory);
        return 0;
    }

    /// <summary>
    /// Scores the settings on a recording; with <paramref name="rewritten"/>, also writes the recording as replayed (its
    /// probabilities those of <paramref name="modelDirectory"/> when classified again) for a look load by load.
    /// </summary>
    private static int Replay(FileInfo file, ChargingDetectorOptions options, FileInfo? fingerprints, DirectoryInfo modelDirectory, DirectoryInfo? reportDirectory,
        FileInfo? rewritten)
    {
        List<RecordedSet> recorded;
        try
        {
            recorded = CheckpointRecording.Read(file.FullName);
            if (fingerprints is not null)
            {
                using var models = RecipeModels.Load(modelDirectory.FullName);
                var tiers = models.Tiers.ToList();
                recorded = [.. CheckpointRecording.ReadFingerprints(fingerprints.FullName, recorded).Select(r => CheckpointRecording.Reclassify(r, tiers, models.Classify))];
                Console.Error.WriteLine($"classified again by {modelDirectory.FullName}: {string.Join(", ", tiers.Select(ChargingModels.TierName))}"
                    + (tiers.Count < 3 ? $"; the other tiers keep the recorded probabilities" : ""));
            }

            if (options.MaxSlowFlickerRatio < ChargingDetectorOptions.FlickerCheckOff
                && recorded.All(set => set.Loads.All(load => load.Checkpoints.All(c => double.IsNaN(c.SlowFlickerRatio)))))
            {
                // Not "not measured yet", which would hold back every load in a noisy household for good.
                Console.Error.WriteLine("warning: the recording has no slow flicker (recorded before it was): the slow flicker check is left out of this replay");
                options.MaxSlowFlickerRatio = ChargingDetectorOptions.FlickerCheckOff;
            }

            if (rewritten is not null)
            {
                CheckpointRecording.Write(rewritten.FullName, recorded);
                Console.Error.WriteLine($"wrote {rewritten.FullName}");
            }
        }
        catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException or XGBoostException or ArgumentException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 2;
        }

        Report([.. recorded.Select(r => (r.Set, CheckpointRecording.Replay(r, options)))], reportDirectory);
        return 0;
    }

    private static int Run(DirectoryInfo modelDirectory, IReadOnlyList<ScenarioSet> sets, ChargingDetectorOptions options, DirectoryInfo reportDirectory)
    {
        var models = ModelOptions.TryLoad(modelDirectory);
        if (models is null)
        {
            return 2;
        }

        using (models)
        {
            var scored = new List<(ScenarioSet Set, Dictionary<MeterTier, TierScore> Scores)>();
            foreach (var set in sets)
            {
                Console.Error.WriteLine($"evaluating {set.Name}: {set.Households} households x {set.Days} days...");
                scored.Add((set, Evaluation.Run(set, models, options)));
            }

            Report(scored, reportDirectory);
            return 0;
        }
    }

    /// <summary>Prints the figures and, when given a folder, writes them there with the missed-session and false-alarm diagnosis.</summary>
    private static void Report(IReadOnlyList<(ScenarioSet Set, Dictionary<MeterTier, TierScore> Scores)> scored, DirectoryInfo? reportDirectory)
    {
        var results = scored.Select(s => EvaluationReport.Figures(s.Set, s.Scores)).ToList();
        var markdown = EvaluationReport.Markdown(results);
        Console.Out.Write(markdown);
        if (reportDirectory is null)
        {
            return;
        }

        reportDirectory.Create();
        EvaluationReport.WriteDiagnosis(reportDirectory.FullName, scored);
        File.WriteAllText(Path.Combine(reportDirectory.FullName, "evaluation.md"), markdown);
        File.WriteAllText(Path.Combine(reportDirectory.FullName, "evaluation.json"),
            JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
        Console.Error.WriteLine($"wrote {reportDirectory.FullName}/evaluation.md, evaluation.json, missed-or-late-sessions.csv and false-alarms.csv");
    }
}
