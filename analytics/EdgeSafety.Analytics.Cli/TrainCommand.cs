using System.CommandLine;
using System.Globalization;
using System.Text;
using EdgeSafety.Analytics.Charging;
using EdgeSafety.Analytics.Cli.Charging;
using EdgeSafety.Appliances;

namespace EdgeSafety.Analytics.Cli;

/// <summary>
/// <c>train</c>: generates the training data from the appliance library's Training scenarios (fixed seeds), trains
/// one XGBoost model per meter tier, scores them on validation households and writes the models and the model card.
/// The committed models are this command's output with its defaults, byte for byte.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--output") { Description = "Where to write ebike-<tier>.json and MODEL_CARD.md", DefaultValueFactory = _ => new DirectoryInfo("analytics/models") };
        var households = new Option<int>("--households") { Description = "Training households per sampling at 5-15 s and 60 s; three times as many at 1-2 s", DefaultValueFactory = _ => TrainingPlan.DefaultHouseholds };
        var validation = new Option<int>("--validation-households") { Description = "Validation households (1-2 s sampling) for the model card's figures", DefaultValueFactory = _ => TrainingPlan.DefaultValidationHouseholds };
        var pfcHouseholds = new Option<int>("--pfc-households")
        {
            Description = "Extra training households (1-2 s sampling) whose e-bike chargers are the lithium ones with active PFC: their sessions beside other households' loads",
            DefaultValueFactory = _ => TrainingPlan.DefaultPfcHouseholds,
        };
        var saveRows = new Option<FileInfo>("--save-rows") { Description = "Also write the training fingerprints to this file, for training variants with --rows" };
        var fromRows = new Option<FileInfo>("--rows") { Description = "Train from the fingerprints --save-rows wrote (same --households) instead of running the training households" };
        var recipe = new Option<string[]>("--recipe")
        {
            Description = $"A model variant: recipe settings NAME=VALUE instead of the committed recipe ({ModelRecipe.SettingNames}; lists comma-separated; analytics/README.md says what each does)",
            AllowMultipleArgumentsPerToken = true,
        };
        var tiers = new Option<string[]>("--tiers") { Description = "Tiers to train (harmonic, thd, basic); a variant may train fewer, and then writes no model card", DefaultValueFactory = _ => ["harmonic", "thd", "basic"], AllowMultipleArgumentsPerToken = true };
        var command = new Command("train", "Train the e-bike charging models from simulated households and write them with their model card") { output, households, validation, pfcHouseholds, saveRows, fromRows, recipe, tiers };
        command.SetAction(parse =>
        {
            var plan = new TrainingPlan(parse.GetValue(households), parse.GetValue(validation)) { PfcHouseholds = parse.GetValue(pfcHouseholds) };
            if (plan.Households < 1 || plan.ValidationHouseholds < 1)
            {
                Console.Error.WriteLine("error: --households and --validation-households must be at least 1");
                return 2;
            }

            if (plan.PfcHouseholds < 0)
            {
                Console.Error.WriteLine("error: --pfc-households must not be negative");
                return 2;
            }

            ModelRecipe variant;
            HashSet<MeterTier> trained;
            try
            {
                variant = ModelRecipe.Parse(parse.GetValue(recipe) ?? []);
                trained = [.. parse.GetValue(tiers)!.Select(t => Enum.GetValues<MeterTier>().FirstOrDefault(m => ChargingModels.TierName(m) == t, (MeterTier)(-1)) is var tier && tier >= 0
                    ? tier : throw new ArgumentException($"Unknown tier \"{t}\"; the tiers are harmonic, thd and basic."))];
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return 2;
            }

            return Run(parse.GetValue(output)!, plan, variant, trained, parse.GetValue(fromRows), parse.GetValue(saveRows));
        });
        return command;
    }

    private static int Run(DirectoryInfo output, TrainingPlan plan, ModelRecipe recipe, HashSet<MeterTier> tiers, FileInfo? fromRows, FileInfo? saveRows)
    {
        output.Create();
        var options = new ChargingDetectorOptions();
        Dictionary<MeterTier, TierRows> rows;
        if (fromRows is not null)
        {
            try
            {
                rows = ModelTraining.LoadRows(fromRows.FullName, plan.Households);
            }
            catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return 2;
            }
        }
        else
        {
            Console.Error.WriteLine($"collecting fingerprints from {plan.TrainingSets.Sum(s => s.Households)} households...");
            rows = ModelTraining.Collect(plan.TrainingSets, options);
        }

        if (saveRows is not null)
        {
            ModelTraining.SaveRows(saveRows.FullName, plan.Households, rows);
            Console.Error.WriteLine($"wrote {saveRows.FullName}");
        }

        foreach (var (tier, tierRows) in rows.Where(r => tiers.Contains(r.Key)).OrderByDescending(r => r.Key))
        {
            Console.Error.WriteLine($"training {ChargingModels.TierName(tier)}: {tierRows.Labels.Count} fingerprints, {tierRows.Positives} of chargers");
            using var booster = recipe.ForTier(tier).Train(tierRows);
            booster.SaveJson(Path.Combine(output.FullName, ChargingModels.FileName(tier)));
        }

        var recipeFile = Path.Combine(output.FullName, ModelRecipe.FileName);
        if (recipe.IsCommitted)
        {
            File.Delete(recipeFile);
        }
        else
        {
            File.WriteAllText(recipeFile, recipe + Environment.NewLine);
        }

        if (tiers.Count < rows.Count)
        {
            Console.Error.WriteLine($"wrote {output.FullName} (no model card: not every tier was trained)");
            return 0;
        }

        Console.Error.WriteLine($"validating on {plan.Validation.Households} households...");
        using var models = RecipeModels.Load(output.FullName);
        var figures = EvaluationReport.Figures(plan.Validation, Evaluation.Run(plan.Validation, models, options));
        File.WriteAllText(Path.Combine(output.FullName, "MODEL_CARD.md"), ModelCard(plan, rows, figures, options, recipe));
        Console.Error.WriteLine($"wrote {output.FullName}");
        return 0;
    }

    private static string ModelCard(TrainingPlan plan, Dictionary<MeterTier, TierRows> rows, SetFigures validation, ChargingDetectorOptions options, ModelRecipe recipe)
    {
        var text = new StringBuilder();
        text.AppendLine("# E-bike charging models: model card");
        text.AppendLine();
        text.AppendLine("Written by the train command; do not edit. Reproduce the committed files byte for byte with:");
        text.AppendLine();
        text.AppendLine("```sh");
        text.AppendLine(plan.IsDefault ? "./edgesafety train" : Invariant($"./edgesafety train --households {plan.Households} --validation-households {plan.ValidationHouseholds} --pfc-households {plan.PfcHouseholds}"));
        text.AppendLine("```");
        text.AppendLine();
        text.AppendLine("## What the models do");
        text.AppendLine();
        text.AppendLine("Each model (`ebike-harmonic.json`, `ebike-thd.json`, `ebike-basic.json`: XGBoost 1.7 JSON, `binary:logistic`) gives the");
        text.AppendLine("probability that a load added to a household's total is an e-bike charger, from its fingerprint at a checkpoint after");
        text.AppendLine("it came on. The detector (analytics/EdgeSafety.Analytics.Charging) confirms a session when "
            + Invariant($"{options.ConfirmCheckpoints} successive checkpoints reach {options.ConfirmProbability} ({options.BasicConfirmProbability} for a basic meter) and the load has lasted {options.MinConfirmSeconds} s (see analytics/README.md)."));
        text.AppendLine();
        text.AppendLine("## Features (in column order; NaN where the meter's tier lacks them)");
        text.AppendLine();
        text.AppendLine(string.Join(", ", Fingerprint.Names.Select(n => $"`{n}`")));
        text.AppendLine();
        text.AppendLine("## Data");
        text.AppendLine();
        text.AppendLine("Simulated households of simulators/EdgeSafety.Appliances, `ParameterSet.Training`, starting " + SimulatedMeter.Start.ToString("yyyy-MM-dd'T'HH:mmzzz", CultureInfo.InvariantCulture) + ":");
        text.AppendLine();
        text.AppendLine("| set | seeds | households | days each | sampling |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var set in plan.TrainingSets.Append(plan.Validation))
        {
            text.AppendLine(Invariant($"| {set.Name} | {set.FirstSeed}..{set.FirstSeed + set.Households - 1} | {set.Households} | {set.Days} | {set.Sampling.Name} |"));
        }

        text.AppendLine();
        text.AppendLine("A fingerprint is labelled 1 when an e-bike charger was plugged in between the reading before the load's step and two");
        text.AppendLine("seconds after it (ground truth of the generator), 0 otherwise. Rows per tier (before any size-scaled copies):");
        text.AppendLine();
        text.AppendLine("| tier | fingerprints | of chargers |");
        text.AppendLine("|---|---|---|");
        foreach (var (tier, tierRows) in rows.OrderByDescending(r => r.Key))
        {
            text.AppendLine(Invariant($"| {ChargingModels.TierName(tier)} | {tierRows.Labels.Count} | {tierRows.Positives} |"));
        }

        text.AppendLine();
        text.AppendLine("## Parameters");
        text.AppendLine();
        text.AppendLine(Invariant($"{recipe.Rounds} rounds; ") + string.Join(", ", recipe.Parameters().Select(p => $"`{p.Name}={p.Value}`"))
            + $"; the basic model `max_depth={recipe.BasicMaxDepth}`.");
        text.AppendLine();
        if (recipe.Dropped.Count > 0)
        {
            text.AppendLine($"Left out of every model (blanked, so the trees never split on them): {string.Join(", ", recipe.Dropped.Select(f => $"`{f}`"))}.");
            text.AppendLine();
        }

        if (recipe.SizeScales.Count > 0)
        {
            text.AppendLine($"Size-scaled copies: every training row also enters at {string.Join(" and ", recipe.SizeScales)} times its size (power, apparent and");
            text.AppendLine("reactive power times the factor, the household's flicker relative to the load divided by it, every shape and behaviour");
            text.AppendLine("ratio unchanged), so the trees learn what an appliance looks like at sizes the simulated ranges do not cover.");
            text.AppendLine();
        }

        if (!recipe.IsCommitted)
        {
            text.AppendLine($"A variant: `./edgesafety train --recipe {recipe}` (analytics/README.md).");
            text.AppendLine();
        }

        text.AppendLine("## Validation (households not trained on, Training parameters)");
        text.AppendLine();
        text.Append(EvaluationReport.Markdown([validation]));
        text.AppendLine("Held-out figures (other seeds and the HeldOut parameter set) come from the evaluate command: docs/benchmarks.md.");
        return text.ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Which households train and validate the models; the defaults make the committed models.</summary>
internal sealed record TrainingPlan(int Households, int ValidationHouseholds)
{
    public const int DefaultHouseholds = 80;
    public const int DefaultValidationHouseholds = 20;

    /// <summary>No extra PFC-charger households: the committed models' training data.</summary>
    public const int DefaultPfcHouseholds = 0;

    /// <summary>
    /// Households of the extra training set whose e-bike chargers are all lithium chargers with active PFC
    /// (<see cref="PfcChargers"/>), 1-2 s sampling. Training has about a thousand such sessions, and in almost none of
    /// them do the household's other loads bend the step's power factor or reactive power (the step is a difference of
    /// household totals: harmonic currents of several loads add as phasors, and a motor's reactive power drifts),
    /// where 7 % of the PFC look-alikes' steps are bent that way; the model had learnt "a bent PFC step is not a
    /// charger" (docs/charging-diagnosis.md, eighth round).
    /// </summary>
    public int PfcHouseholds { get; init; } = DefaultPfcHouseholds;

    public bool IsDefault => Households == DefaultHouseholds && ValidationHouseholds == DefaultValidationHouseholds && PfcHouseholds == DefaultPfcHouseholds;

    public static IReadOnlyList<ApplianceKind> PfcChargers { get; } = [ApplianceKind.EbikeLithium48VPfc, ApplianceKind.EbikeLithium60VPfc];

    /// <summary>
    /// The 1-2 s sampling the latency target is measured at gets three times the households of the others: chargers
    /// with active PFC resemble a PC or a PFC laptop supply except in how steady they are, and more examples of them
    /// are what lifted their recall on other seeds (docs/charging-diagnosis.md).
    /// </summary>
    public const int FastHouseholdsFactor = 3;

    public IReadOnlyList<ScenarioSet> TrainingSets =>
    [
        new("train-fast", ParameterSet.Training, 1, FastHouseholdsFactor * Households, 2, Sampling.Fast),
        new("train-medium", ParameterSet.Training, 10_001, Households, 3, Sampling.Medium),
        new("train-slow", ParameterSet.Training, 20_001, Households, 4, Sampling.Slow),
        .. PfcHouseholds > 0
            ? new[] { new ScenarioSet("train-pfc", ParameterSet.Training, 30_001, PfcHouseholds, 2, Sampling.Fast) { Options = new ScenarioOptions { EbikeChargers = PfcChargers } } }
            : [],
    ];

    public ScenarioSet Validation => new("validation", ParameterSet.Training, 50_001, ValidationHouseholds, 2, Sampling.Fast);
}
