using System.Globalization;
using System.Text;
using EdgeSafety.TestSupport;

namespace EdgeSafety.XGBoost.Tests;

/// <summary>The binding against the real libxgboost 1.7.4, and its models against Debian's Python XGBoost.</summary>
public sealed class BoosterTests
{
    private const int Columns = 3;

    // Debian's interpreter, where python3-xgboost is installed (a python3 earlier on PATH, from pyenv say, lacks it).
    private const string DebianPython = "/usr/bin/python3";

    [Fact]
    public void A_learnable_rule_is_learned_and_predicted_in_batches_and_by_row()
    {
        using var booster = TrainOnRule(rows: 400);
        var (values, labels) = RuleData(rows: 200, seed: 99);
        var predictions = new float[200];

        booster.Predict(values, 200, predictions);

        booster.FeatureCount.Should().Be(Columns);
        booster.BoostedRounds.Should().Be(20);
        var correct = predictions.Where((p, i) => (p > 0.5f ? 1f : 0f) == labels[i]).Count();
        correct.Should().BeGreaterThan(190, "the label is a plain threshold on the first feature");
        booster.PredictRow(values.AsSpan(0, Columns)).Should().Be(predictions[0]);
        booster.PredictRow(values.AsSpan(Columns * 7, Columns)).Should().Be(predictions[7]);
    }

    [Fact]
    public void Missing_values_are_accepted_as_NaN()
    {
        using var booster = TrainOnRule(rows: 400);

        var probability = booster.PredictRow([0.9f, float.NaN, float.NaN]);

        probability.Should().BeGreaterThan(0.5f);
    }

    [Fact]
    public void A_saved_model_loads_and_predicts_identically_and_saves_to_the_same_bytes()
    {
        using var booster = TrainOnRule(rows: 400);
        var json = booster.SaveJson();
        var (values, _) = RuleData(rows: 50, seed: 5);
        var before = new float[50];
        var after = new float[50];

        using var loaded = Booster.Load(json);
        booster.Predict(values, 50, before);
        loaded.Predict(values, 50, after);

        after.Should().Equal(before);
        loaded.SaveJson().Should().Equal(json);
        Encoding.UTF8.GetString(json).Should().StartWith("{").And.Contain("\"learner\"");
    }

    [Fact]
    public void Training_with_fixed_seed_and_threads_gives_the_same_bytes_twice()
    {
        using var first = TrainOnRule(rows: 400);
        using var second = TrainOnRule(rows: 400);

        second.SaveJson().Should().Equal(first.SaveJson());
    }

    [Fact]
    public void A_model_file_written_here_predicts_the_same_in_python_xgboost()
    {
        using var directory = new TemporaryDirectory("xgboost");
        using var booster = TrainOnRule(rows: 400);
        var modelPath = Path.Combine(directory.Path, "model.json");
        booster.SaveJson(modelPath);
        var (values, _) = RuleData(rows: 20, seed: 11);
        values[4] = float.NaN;
        var expected = new float[20];
        booster.Predict(values, 20, expected);
        var rowsPath = Path.Combine(directory.Path, "rows.csv");
        File.WriteAllLines(rowsPath, values.Chunk(Columns).Select(row => string.Join(',', row.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))));

        const string Script = """
            import sys, numpy, xgboost
            booster = xgboost.Booster()
            booster.load_model(sys.argv[1])
            rows = numpy.genfromtxt(sys.argv[2], delimiter=",", dtype=numpy.float32)
            for p in booster.inplace_predict(rows):
                print(repr(float(p)))
            """;
        var output = RunPython(Script, modelPath, rowsPath);

        var actual = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => float.Parse(line, CultureInfo.InvariantCulture)).ToArray();
        actual.Should().Equal(expected);
    }

    [Fact]
    public void A_damaged_model_file_gives_an_error_naming_the_file()
    {
        using var directory = new TemporaryDirectory("xgboost");
        var json = Encoding.UTF8.GetString(TrainOnRule(rows: 100).SaveJson());
        var path = Path.Combine(directory.Path, "damaged.json");
        File.WriteAllText(path, json[..(json.Length / 2)]);

        var load = () => Booster.LoadFile(path);

        load.Should().Throw<XGBoostException>().WithMessage($"*{path}*XGBoosterLoadModelFromBuffer failed*");
        File.WriteAllBytes(path, []);
        load.Should().Throw<XGBoostException>().WithMessage("*empty*");
    }

    [Fact]
    public void Rows_of_the_wrong_shape_are_refused_before_reaching_the_library()
    {
        using var booster = TrainOnRule(rows: 100);

        var predict = () => booster.Predict(new float[7], 2, new float[2]);
        var matrix = () => DMatrix.FromDense(new float[6], 4, 2);

        predict.Should().Throw<XGBoostException>().WithMessage("7 values do not make 2 rows*");
        matrix.Should().Throw<XGBoostException>().WithMessage("6 values do not make 4 rows of 2 columns.");
    }

    [Fact]
    public void Rows_weighted_zero_are_not_learned_from_and_weights_of_the_wrong_count_are_refused()
    {
        var (values, labels) = RuleData(rows: 400, seed: 1);
        var flipped = labels.Select((label, row) => values[(row * Columns) + 1] > 0.5f ? 1 - label : label).ToArray();
        var weights = flipped.Select((label, row) => label == labels[row] ? 1f : 0f).ToArray();

        using var unweighted = Train(values, flipped, weights: null);
        using var weighted = Train(values, flipped, weights);

        unweighted.PredictRow([0.9f, 0.9f, 0.5f]).Should().BeLessThan(0.5f, "every such row was labelled 0");
        weighted.PredictRow([0.9f, 0.9f, 0.5f]).Should().BeGreaterThan(0.5f, "those rows weigh nothing: only the rule on the first feature is left");
        using var matrix = DMatrix.FromDense(values, 400, Columns);
        var wrongCount = () => matrix.SetWeights(new float[3]);
        wrongCount.Should().Throw<XGBoostException>().WithMessage("3 weights for a matrix of 400 rows.");
    }

    /// <summary>Label = first feature above 0.5; the other two are noise.</summary>
    private static (float[] Values, float[] Labels) RuleData(int rows, int seed)
    {
        var random = new Random(seed);
        var values = new float[rows * Columns];
        var labels = new float[rows];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < Columns; c++)
            {
                values[(r * Columns) + c] = random.NextSingle();
            }

            labels[r] = values[r * Columns] > 0.5f ? 1f : 0f;
        }

        return (values, labels);
    }

    private static Booster TrainOnRule(int rows)
    {
        var (values, labels) = RuleData(rows, seed: 1);
        return Train(values, labels, weights: null);
    }

    private static Booster Train(float[] values, float[] labels, float[]? weights)
    {
        using var training = DMatrix.FromDense(values, labels.Length, Columns);
        training.SetLabels(labels);
        if (weights is not null)
        {
            training.SetWeights(weights);
        }

        var booster = Booster.Create(training);
        booster.SetParameter("objective", "binary:logistic");
        booster.SetParameter("max_depth", "3");
        booster.SetParameter("nthread", "1");
        booster.SetParameter("seed", "0");
        booster.SetParameter("tree_method", "hist");
        booster.Train(training, 20);
        return booster;
    }

    private static string RunPython(string script, params string[] arguments)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(DebianPython, ["-c", script, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.Should().Be(0, $"python3 failed: {error}");
        return output;
    }
}
