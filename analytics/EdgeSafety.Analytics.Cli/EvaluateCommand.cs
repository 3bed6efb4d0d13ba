using System.CommandLine;
using System.Text.Json;
using EdgeSafety.Analytics.Charging;
using EdgeSafety.Analytics.Cli.Charging;
using EdgeSafety.Appliances;

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
        var report = new Option<DirectoryInfo>("--report") { Description = "Where to write evaluation.json and evaluation.md", DefaultValueFactory = _ => new DirectoryInfo("analytics/evaluation") };
        var command = new Command("evaluate", "Evaluate the e-bike charging detector on held-out simulated households") { models, households, days, sampling, report };
        command.SetAction(parse =>
        {
            IReadOnlyList<Sampling> samplings;
            try
            {
                samplings = [.. parse.GetValue(sampling)!.Select(Sampling.Parse)];
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return 2;
            }

            var count = parse.GetValue(households);
            var length = parse.GetValue(days);
            if (count < 1 || length is < 0.1 or > 60)
            {
                Console.Error.WriteLine("error: --households must be at least 1 and --days between 0.1 and 60");
                return 2;
            }

            var sets = samplings.SelectMany(s => new ScenarioSet[]
            {
                new($"other-seeds-{s.Name}", ParameterSet.Training, 100_001, count, length, s),
                new($"held-out-{s.Name}", ParameterSet.HeldOut, 200_001, count, length, s),
            }).ToList();
            return Run(parse.GetValue(models)!, sets, parse.GetValue(report)!);
        });
        return command;
    }

    private static int Run(DirectoryInfo modelDirectory, IReadOnlyList<ScenarioSet> sets, DirectoryInfo reportDirectory)
    {
        var models = ModelOptions.TryLoad(modelDirectory);
        if (models is null)
        {
            return 2;
        }

        using (models)
        {
            var options = new ChargingDetectorOptions();
            var results = new List<SetFigures>();
            var diagnosis = new List<(ScenarioSet Set, Dictionary<MeterTier, TierScore> Scores)>();
            foreach (var set in sets)
            {
                Console.Error.WriteLine($"evaluating {set.Name}: {set.Households} households x {set.Days} days...");
                var scores = Evaluation.Run(set, models, options);
                diagnosis.Add((set, scores));
                results.Add(EvaluationReport.Figures(set, scores));
            }

            var markdown = EvaluationReport.Markdown(results);
            reportDirectory.Create();
            EvaluationReport.WriteDiagnosis(reportDirectory.FullName, diagnosis);
            File.WriteAllText(Path.Combine(reportDirectory.FullName, "evaluation.md"), markdown);
            File.WriteAllText(Path.Combine(reportDirectory.FullName, "evaluation.json"),
                JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
            Console.Out.Write(markdown);
            Console.Error.WriteLine($"wrote {reportDirectory.FullName}/evaluation.md, evaluation.json, missed-or-late-sessions.csv and false-alarms.csv");
            return 0;
        }
    }
}
