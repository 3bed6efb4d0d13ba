using System.Globalization;
using System.Runtime.InteropServices;
using EdgeSafety.Analytics.Charging;
using EdgeSafety.XGBoost;

namespace EdgeSafety.Analytics.Cli.Charging;

/// <summary>
/// How the models are trained from the fingerprints. The defaults are the committed models' recipe; the other
/// settings (train --recipe NAME=VALUE ...) are variants to measure offline: features derived from the fingerprint
/// and appended to it, features left out, shape-first training (the first rounds without the size features),
/// the size rounds' own learning rate, and interaction constraints keeping size apart from behaviour
/// (docs/charging-diagnosis.md, fourth and fifth rounds).
/// </summary>
internal sealed record ModelRecipe
{
    /// <summary>The file beside the models that names a non-default recipe (the replay needs its derived features).</summary>
    public const string FileName = "recipe.txt";

    /// <summary>The settings --recipe takes, as the train command's help and errors name them.</summary>
    public const string SettingNames = "Rounds, ShapeRounds, SizeEta, ScalePosWeight, Constrained, Derived, Dropped, Size, Behaviour, SizeScales, ChargerSizeScales, PfcWeight, Eta, MaxDepth, BasicMaxDepth, MinChildWeight";

    public int Rounds { get; init; } = ModelTraining.Rounds;

    /// <summary>Rounds trained first with the <see cref="Size"/> features blanked; 0: size from the start.</summary>
    public int ShapeRounds { get; init; }

    /// <summary>The learning rate of the rounds after <see cref="ShapeRounds"/>; null: the same as before.</summary>
    public string? SizeEta { get; init; }

    public string ScalePosWeight { get; init; } = TrainingParameter("scale_pos_weight");

    /// <summary>XGBoost's learning rate (<c>eta</c>) from the first round.</summary>
    public string Eta { get; init; } = TrainingParameter("eta");

    /// <summary>XGBoost's <c>max_depth</c>: how deep a tree may grow.</summary>
    public string MaxDepth { get; init; } = TrainingParameter("max_depth");

    /// <summary>
    /// The basic model's <c>max_depth</c>. Its fingerprints have power and power factor only, and 6-deep trees learnt
    /// the training households' refrigerators and unattributed steps too well: at depth 4 the held-out false alarms
    /// of both validation sets fell from 101 and 63 to 18 and 12 in 400 household-days for 0-5 sessions, while the
    /// harmonic and thd models at depth 4 lost HeldOut sessions and raised their false alarms (docs/charging-diagnosis.md,
    /// "Seventh round, merged (lead)").
    /// </summary>
    public string BasicMaxDepth { get; init; } = "4";

    /// <summary>XGBoost's <c>min_child_weight</c>: the least (weighted) rows a leaf may stand for.</summary>
    public string MinChildWeight { get; init; } = TrainingParameter("min_child_weight");

    /// <summary>Interaction constraints: no tree splits on both a <see cref="Size"/> and a <see cref="Behaviour"/> feature.</summary>
    public bool Constrained { get; init; }

    /// <summary>Features computed from the fingerprint and appended to it, in order (<see cref="DerivedNames"/>).</summary>
    public IReadOnlyList<string> Derived { get; init; } = [];

    /// <summary>
    /// Features blanked in every round (the trees never split on them). The committed recipe leaves out the odd
    /// harmonics' ratios, keeping the THD ratio: with them, the harmonic model learnt the training chargers'
    /// rectifier shapes (conduction angles of 45-65 degrees) and missed chargers whose shape lies outside them, which
    /// the thd model found; without them, both validation sets' HeldOut recall rose and their false alarms fell,
    /// other seeds kept (docs/charging-diagnosis.md, "Seventh round: HeldOut misses and detector faults"). The thd
    /// and basic tiers have no harmonics, so this changes only the harmonic model.
    /// </summary>
    public IReadOnlyList<string> Dropped { get; init; } = ["h3_ratio", "h5_ratio", "h7_ratio", "h9_ratio", "h11_ratio", "h13_ratio", "h15_ratio"];

    /// <summary>
    /// Extra copies of every training row with the load's size scaled by these factors (its power, apparent and
    /// reactive power times the factor, the household's flicker relative to it divided by it; every shape and
    /// behaviour ratio unchanged): the same appliances at sizes training did not simulate. Without them the trees
    /// learnt where in power each appliance lives (a television at 130 W or an LED lamp at 55 W, where training had
    /// only chargers, was a charger); with them, held-out false alarms halved on the validation households and
    /// recall rose on both sets (docs/charging-diagnosis.md, fifth round).
    /// </summary>
    public IReadOnlyList<string> SizeScales { get; init; } = ["0.7", "1.4"];

    /// <summary>
    /// The chargers' factor in each size-scaled copy, one per <see cref="SizeScales"/> factor (1: the charger's row
    /// enters that copy at its own size); null: the same factors as every other appliance. Scaling an e-bike charger
    /// down puts it where the e-scooter and power-tool chargers live, which brought their false alarms
    /// (docs/charging-diagnosis.md, seventh round).
    /// </summary>
    public IReadOnlyList<string>? ChargerSizeScales { get; init; }

    /// <summary>
    /// How much more a charger's row with an active-PFC front end (<see cref="PfcPowerFactor"/>) counts in training,
    /// on top of <see cref="ScalePosWeight"/>: the lithium PFC chargers are the ones the models miss most.
    /// </summary>
    public string PfcWeight { get; init; } = "1";

    /// <summary>
    /// An active-PFC front end draws a near-sinusoidal current: in the training rows of main every PFC charger's
    /// power factor is above 0.97 and hardly any plain rectifier charger's above 0.9 (20 of 10,595 rows between 0.95
    /// and 0.97), so the power factor tells the two kinds apart without knowing the appliance.
    /// </summary>
    public const float PfcPowerFactor = 0.95f;

    /// <summary>How big the added load is (W, VA, var), as opposed to what it looks like.</summary>
    public IReadOnlyList<string> Size { get; init; } = ["power_w", "initial_power_w", "apparent_va", "reactive_var"];

    /// <summary>How the load has behaved since it came on: flicker and trend.</summary>
    public IReadOnlyList<string> Behaviour { get; init; } =
        ["variation_60s", "slope_pct_per_min", "growth", "min_ratio", "max_ratio", "jitter_30s", "baseline_jitter_ratio", "own_jitter_ratio", "residual_300s"];

    /// <summary>The features <see cref="Derived"/> may name.</summary>
    public static IReadOnlyList<string> DerivedNames { get; } = ["crest_estimate", "jitter_over_baseline", "log2_power", "log2_power_half"];

    public static ModelRecipe Committed { get; } = new();

    public bool IsCommitted => ToString() == Committed.ToString();

    public IReadOnlyList<string> Columns => [.. Fingerprint.Names, .. Derived];

    public int ColumnCount => Fingerprint.Count + Derived.Count;

    /// <summary>The defaults with NAME=VALUE settings applied (lists comma-separated); a bad one is an <see cref="ArgumentException"/>.</summary>
    public static ModelRecipe Parse(IEnumerable<string> settings)
    {
        var recipe = Committed;
        foreach (var setting in settings)
        {
            var equals = setting.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                throw new ArgumentException($"Recipe setting \"{setting}\" has no value: write NAME=VALUE.");
            }

            var (name, value) = (setting[..equals].Trim(), setting[(equals + 1)..].Trim());
            var list = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            recipe = name.ToUpperInvariant() switch
            {
                "ROUNDS" => recipe with { Rounds = Count(name, value) },
                "SHAPEROUNDS" => recipe with { ShapeRounds = Count(name, value) },
                "SIZEETA" => recipe with { SizeEta = value.Length == 0 ? null : Number(name, value) },
                "SCALEPOSWEIGHT" => recipe with { ScalePosWeight = Number(name, value) },
                "CONSTRAINED" => recipe with { Constrained = bool.TryParse(value, out var on) ? on : throw new ArgumentException($"Recipe setting {name}: \"{value}\" is not true or false.") },
                "DERIVED" => recipe with { Derived = list },
                "DROPPED" => recipe with { Dropped = list },
                "SIZE" => recipe with { Size = list },
                "BEHAVIOUR" => recipe with { Behaviour = list },
                "SIZESCALES" => recipe with { SizeScales = [.. list.Select(f => Number(name, f))] },
                "CHARGERSIZESCALES" => recipe with { ChargerSizeScales = value.Length == 0 ? null : [.. list.Select(f => Number(name, f))] },
                "PFCWEIGHT" => recipe with { PfcWeight = Number(name, value) },
                "ETA" => recipe with { Eta = Number(name, value) },
                "MAXDEPTH" => recipe with { MaxDepth = Depth(name, value) },
                "BASICMAXDEPTH" => recipe with { BasicMaxDepth = Depth(name, value) },
                "MINCHILDWEIGHT" => recipe with { MinChildWeight = Number(name, value) },
                _ => throw new ArgumentException($"Unknown recipe setting \"{name}\"; the settings are {SettingNames}."),
            };
        }

        foreach (var derived in recipe.Derived.Where(d => !DerivedNames.Contains(d)))
        {
            throw new ArgumentException($"Unknown derived feature \"{derived}\"; they are {string.Join(", ", DerivedNames)}.");
        }

        foreach (var feature in recipe.Dropped.Concat(recipe.Size).Concat(recipe.Behaviour).Where(f => !recipe.Columns.Contains(f)))
        {
            throw new ArgumentException($"Recipe names \"{feature}\", which is neither a fingerprint feature nor one of its derived ones.");
        }

        if (recipe.ChargerSizeScales is { } chargerScales && chargerScales.Count != recipe.SizeScales.Count)
        {
            throw new ArgumentException($"ChargerSizeScales has {chargerScales.Count} factors; SizeScales has {recipe.SizeScales.Count} (one per size-scaled copy).");
        }

        if (recipe.ShapeRounds >= recipe.Rounds)
        {
            throw new ArgumentException("ShapeRounds must be fewer than Rounds.");
        }

        return recipe;
    }

    /// <summary>The recipe as the settings that make it, one line (what <see cref="FileName"/> holds).</summary>
    public override string ToString() => string.Join(' ',
        Invariant($"Rounds={Rounds}"), Invariant($"ShapeRounds={ShapeRounds}"), $"SizeEta={SizeEta ?? ""}", $"ScalePosWeight={ScalePosWeight}", $"Constrained={Constrained}",
        $"Derived={string.Join(',', Derived)}", $"Dropped={string.Join(',', Dropped)}", $"Size={string.Join(',', Size)}", $"Behaviour={string.Join(',', Behaviour)}", $"SizeScales={string.Join(',', SizeScales)}",
        $"ChargerSizeScales={string.Join(',', ChargerSizeScales ?? [])}", $"PfcWeight={PfcWeight}",
        $"Eta={Eta}", $"MaxDepth={MaxDepth}", $"BasicMaxDepth={BasicMaxDepth}", $"MinChildWeight={MinChildWeight}");

    /// <summary>The recipe a tier's model is trained with: the basic model's trees are <see cref="BasicMaxDepth"/> deep.</summary>
    public ModelRecipe ForTier(MeterTier tier) => tier == MeterTier.Basic ? this with { MaxDepth = BasicMaxDepth } : this;

    /// <summary>The recipe of the models in <paramref name="directory"/>: its <see cref="FileName"/>, or the committed one.</summary>
    public static ModelRecipe Of(string directory)
    {
        var path = Path.Combine(directory, FileName);
        return File.Exists(path) ? Parse(File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) : Committed;
    }

    /// <summary>XGBoost's training parameters: the committed ones, with this recipe's values, weighting and constraints.</summary>
    public IReadOnlyList<(string Name, string Value)> Parameters()
    {
        var values = new Dictionary<string, string> { ["scale_pos_weight"] = ScalePosWeight, ["eta"] = Eta, ["max_depth"] = MaxDepth, ["min_child_weight"] = MinChildWeight };
        var parameters = ModelTraining.Parameters.Select(p => (p.Name, values.GetValueOrDefault(p.Name, p.Value))).ToList();
        if (Constrained)
        {
            // Before the seed, where the fourth round (branch heldout-features) set it.
            parameters.Insert(parameters.FindIndex(p => p.Name == "seed"), ("interaction_constraints", InteractionConstraints()));
        }

        return parameters;
    }

    /// <summary>
    /// Fingerprints (row-major, <see cref="Fingerprint.Count"/> each) widened to this recipe's columns, dropped ones
    /// blanked unless <paramref name="blankDropped"/> is false: a model never splits on the features it was trained
    /// without, so classifying needs no blanking, and models trained before a feature was dropped still read it.
    /// </summary>
    public float[] Rows(ReadOnlySpan<float> fingerprints, bool blankDropped = true)
    {
        var rows = fingerprints.Length / Fingerprint.Count;
        var wide = new float[rows * ColumnCount];
        var dropped = blankDropped ? Dropped.Select(IndexOf).ToArray() : [];
        for (var row = 0; row < rows; row++)
        {
            var source = fingerprints.Slice(row * Fingerprint.Count, Fingerprint.Count);
            var target = wide.AsSpan(row * ColumnCount, ColumnCount);
            source.CopyTo(target);
            for (var d = 0; d < Derived.Count; d++)
            {
                target[Fingerprint.Count + d] = Derive(Derived[d], source);
            }

            foreach (var column in dropped)
            {
                target[column] = float.NaN;
            }
        }

        return wide;
    }

    /// <summary>Trains one tier's model from its rows (fingerprints as the detector makes them).</summary>
    public Booster Train(TierRows tierRows)
    {
        var (fingerprints, labels) = WithSizeCopies(tierRows);
        var weights = Weights(fingerprints, labels);
        var features = Derived.Count == 0 && Dropped.Count == 0 ? fingerprints : Rows(fingerprints);
        using var matrix = Matrix(features, labels, weights);
        using var shapeMatrix = ShapeRounds > 0 ? ShapeOnly(features, labels, weights) : null;
        var booster = Booster.Create(shapeMatrix ?? matrix);
        try
        {
            foreach (var (name, value) in Parameters())
            {
                booster.SetParameter(name, value);
            }

            if (shapeMatrix is not null)
            {
                booster.Train(shapeMatrix, ShapeRounds);
            }

            if (SizeEta is not null)
            {
                booster.SetParameter("eta", SizeEta);
            }

            booster.Train(matrix, Rounds - ShapeRounds);
            return booster;
        }
        catch
        {
            booster.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The tier's fingerprints (row-major) and labels followed by one copy per <see cref="SizeScales"/> factor, each
    /// scaled (<see cref="Scale"/>) in place in one array allocated once.
    /// </summary>
    internal (float[] Fingerprints, float[] Labels) WithSizeCopies(TierRows tierRows)
    {
        var source = CollectionsMarshal.AsSpan(tierRows.Features);
        var sourceLabels = CollectionsMarshal.AsSpan(tierRows.Labels);
        var fingerprints = new float[source.Length * (1 + SizeScales.Count)];
        var labels = new float[sourceLabels.Length * (1 + SizeScales.Count)];
        for (var copy = 0; copy <= SizeScales.Count; copy++)
        {
            var target = fingerprints.AsSpan(copy * source.Length, source.Length);
            source.CopyTo(target);
            sourceLabels.CopyTo(labels.AsSpan(copy * sourceLabels.Length));
            if (copy > 0)
            {
                Scale(target, sourceLabels, Factor(SizeScales[copy - 1]), Factor((ChargerSizeScales ?? SizeScales)[copy - 1]));
            }
        }

        return (fingerprints, labels);
    }

    /// <summary>
    /// Makes fingerprints (row-major) those of the same loads <paramref name="factor"/> times as big, chargers'
    /// (label 1) <paramref name="chargerFactor"/> times (<see cref="SizeScales"/>, <see cref="ChargerSizeScales"/>).
    /// </summary>
    internal static void Scale(Span<float> fingerprints, ReadOnlySpan<float> labels, float factor, float chargerFactor)
    {
        for (var row = 0; row < labels.Length; row++)
        {
            var fingerprint = fingerprints.Slice(row * Fingerprint.Count, Fingerprint.Count);
            var rowFactor = labels[row] > 0 ? chargerFactor : factor;
            foreach (var column in SizeColumns)
            {
                fingerprint[column] *= rowFactor;
            }

            fingerprint[BaselineJitterColumn] = Math.Clamp(fingerprint[BaselineJitterColumn] / rowFactor, -10f, 10f);
        }
    }

    /// <summary>Each row's weight (<see cref="PfcWeight"/> for a PFC charger's, 1 for the rest); null when all are 1.</summary>
    internal float[]? Weights(float[] fingerprints, float[] labels)
    {
        var pfcWeight = Factor(PfcWeight);
        if (pfcWeight == 1)
        {
            return null;
        }

        var weights = new float[labels.Length];
        for (var row = 0; row < labels.Length; row++)
        {
            weights[row] = labels[row] > 0 && fingerprints[(row * Fingerprint.Count) + PowerFactorColumn] >= PfcPowerFactor ? pfcWeight : 1;
        }

        return weights;
    }

    private DMatrix Matrix(float[] features, float[] labels, float[]? weights)
    {
        var matrix = DMatrix.FromDense(features, labels.Length, ColumnCount);
        matrix.SetLabels(labels);
        if (weights is not null)
        {
            matrix.SetWeights(weights);
        }

        return matrix;
    }

    private DMatrix ShapeOnly(float[] features, float[] labels, float[]? weights)
    {
        var shapeOnly = (float[])features.Clone();
        var size = Size.Select(IndexOf).ToArray();
        for (var row = 0; row < shapeOnly.Length; row += ColumnCount)
        {
            foreach (var column in size)
            {
                shapeOnly[row + column] = float.NaN;
            }
        }

        return Matrix(shapeOnly, labels, weights);
    }

    /// <summary>Two groups: everything but behaviour, and everything but size.</summary>
    private string InteractionConstraints()
    {
        var all = Enumerable.Range(0, ColumnCount).ToArray();
        var size = Size.Select(IndexOf).ToHashSet();
        var behaviour = Behaviour.Select(IndexOf).ToHashSet();
        static string Group(IEnumerable<int> columns) => "[" + string.Join(",", columns) + "]";
        return "[" + Group(all.Where(c => !behaviour.Contains(c))) + "," + Group(all.Where(c => !size.Contains(c))) + "]";
    }

    private int IndexOf(string feature) => Columns.ToList().IndexOf(feature);

    private static readonly int[] SizeColumns = [Column("power_w"), Column("initial_power_w"), Column("apparent_va"), Column("reactive_var")];
    private static readonly int PowerColumn = Column("power_w");
    private static readonly int PowerFactorColumn = Column("power_factor");
    private static readonly int FirstHarmonicColumn = Column("h3_ratio");
    private static readonly int JitterColumn = Column("jitter_30s");
    private static readonly int BaselineJitterColumn = Column("baseline_jitter_ratio");

    private static int Column(string name) => Fingerprint.Names.ToList().IndexOf(name) is var index and >= 0 ? index : throw new InvalidOperationException($"No feature {name}.");

    private static float Derive(string name, ReadOnlySpan<float> fingerprint)
    {
        switch (name)
        {
            case "crest_estimate":
                // A rectifier's pulse sits at the voltage peak, where its odd harmonics add in phase: the crest
                // factor of that waveform, from magnitudes alone, describes the pulse's width at any size.
                double sum = 0, squares = 0;
                foreach (var ratio in fingerprint.Slice(FirstHarmonicColumn, 7))
                {
                    sum += ratio;
                    squares += ratio * ratio;
                }

                return (float)(Math.Sqrt(2) * (1 + sum) / Math.Sqrt(1 + squares));
            case "jitter_over_baseline":
                // The load's flicker over the household's before it came on (both relative to the load's power).
                var baseline = fingerprint[BaselineJitterColumn];
                return float.IsNaN(baseline) || float.IsNaN(fingerprint[JitterColumn]) ? float.NaN
                    : Math.Abs(baseline) < 1e-9 ? 0f
                    : Math.Clamp(fingerprint[JitterColumn] / baseline, -10f, 10f);
            case "log2_power":
                return Coarse(fingerprint[PowerColumn], 1);
            default:
                return Coarse(fingerprint[PowerColumn], 2);
        }
    }

    /// <summary>log2 of the power in steps of 1/<paramref name="perOctave"/> octave: size without its exact value.</summary>
    private static float Coarse(float powerW, int perOctave) =>
        float.IsNaN(powerW) ? float.NaN : (float)(Math.Round(Math.Log2(Math.Max(powerW, 1)) * perOctave) / perOctave);

    private static int Count(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count >= 0 ? count : throw new ArgumentException($"Recipe setting {name}: \"{value}\" is not a count.");

    private static string Number(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number > 0 ? value : throw new ArgumentException($"Recipe setting {name}: \"{value}\" is not a positive number.");

    private static string Depth(string name, string value) => Count(name, value) is > 0 and var depth
        ? depth.ToString(CultureInfo.InvariantCulture)
        : throw new ArgumentException($"Recipe setting {name}: a tree needs a depth of at least 1.");

    private static string TrainingParameter(string name) => ModelTraining.Parameters.Single(p => p.Name == name).Value;

    private static float Factor(string number) => float.Parse(number, CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// The models of one folder with the recipe they were trained with (<see cref="ModelRecipe.Of"/>): classifies
/// fingerprints as the detector makes them, one at a time inside a detector or a tier's all at once in a replay.
/// </summary>
internal sealed class RecipeModels : IChargingClassifier, IDisposable
{
    private readonly Booster?[] _models;

    private RecipeModels(ModelRecipe recipe, Booster?[] models) => (Recipe, _models) = (recipe, models);

    public ModelRecipe Recipe { get; }

    /// <summary>The tiers with a model in the folder (train --tiers may have trained fewer than all).</summary>
    public IEnumerable<MeterTier> Tiers => Enum.GetValues<MeterTier>().Where(t => _models[(int)t] is not null);

    /// <summary>Loads the tiers' models (at least one) and checks each takes the recipe's columns.</summary>
    public static RecipeModels Load(string directory)
    {
        var recipe = ModelRecipe.Of(directory);
        var models = new Booster?[3];
        try
        {
            foreach (var tier in Enum.GetValues<MeterTier>())
            {
                var path = Path.Combine(directory, ChargingModels.FileName(tier));
                if (!File.Exists(path))
                {
                    continue;
                }

                var model = models[(int)tier] = Booster.LoadFile(path);
                model.SetParameter("nthread", ModelTraining.Threads.ToString(CultureInfo.InvariantCulture));
                if (model.FeatureCount != recipe.ColumnCount)
                {
                    throw new XGBoostException($"The model {path} takes {model.FeatureCount} features; its recipe ({ModelRecipe.FileName}) makes {recipe.ColumnCount}.");
                }
            }

            return models.Any(m => m is not null) ? new RecipeModels(recipe, models) : throw new XGBoostException($"No ebike-<tier>.json in {Path.GetFullPath(directory)}.");
        }
        catch
        {
            Array.ForEach(models, m => m?.Dispose());
            throw;
        }
    }

    /// <summary>One fingerprint's probability; the tier's model must be there (train writes every tier unless told otherwise).</summary>
    public float Probability(in Candidate candidate, ReadOnlySpan<float> fingerprint) => Model(candidate.Tier).PredictRow(Recipe.Rows(fingerprint, blankDropped: false));

    /// <summary>The probabilities of a tier's fingerprints (row-major, <see cref="Fingerprint.Count"/> each), in batches.</summary>
    public void Classify(MeterTier tier, float[] fingerprints, float[] probabilities)
    {
        const int Batch = 65_536;
        for (var first = 0; first < probabilities.Length; first += Batch)
        {
            var count = Math.Min(Batch, probabilities.Length - first);
            var rows = Recipe.Rows(fingerprints.AsSpan(first * Fingerprint.Count, count * Fingerprint.Count), blankDropped: false);
            Model(tier).Predict(rows, count, probabilities.AsSpan(first, count));
        }
    }

    public void Dispose() => Array.ForEach(_models, m => m?.Dispose());

    private Booster Model(MeterTier tier) => _models[(int)tier] ?? throw new XGBoostException($"No {ChargingModels.FileName(tier)} among the models.");
}
