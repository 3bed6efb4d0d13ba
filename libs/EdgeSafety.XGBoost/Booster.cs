using System.Text.Unicode;
using EdgeSafety.XGBoost.Native;

namespace EdgeSafety.XGBoost;

/// <summary>
/// An XGBoost model: trained here or loaded from XGBoost JSON (the format Python's <c>Booster.save_model("x.json")</c>
/// writes and reads). Predictions are in-place from dense rows (no DMatrix per call); a lock serialises calls on
/// one booster because the library hands back its result in a buffer owned by the booster.
/// </summary>
public sealed unsafe class Booster : IDisposable
{
    /// <summary>
    /// Normal prediction (probabilities for <c>binary:logistic</c>) over all trees; NaN is missing. 1.7.4 refuses
    /// in-place prediction without <c>cache_id</c> (see docs: platform notes).
    /// </summary>
    private static readonly byte[] PredictConfig =
        """{"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0, "strict_shape": false, "missing": NaN, "cache_id": 0}"""u8
            .ToArray().Append((byte)0).ToArray();

    private readonly BoosterSafeHandle _handle;
    private readonly Lock _gate = new();

    private Booster(BoosterSafeHandle handle) => _handle = handle;

    /// <summary>A new, untrained booster that will train on <paramref name="training"/>.</summary>
    public static Booster Create(DMatrix training)
    {
        var matrix = training.Handle.DangerousGetHandle();
        XGBoostNative.Check(XGBoostNative.XGBoosterCreate(&matrix, 1, out var handle), nameof(XGBoostNative.XGBoosterCreate));
        GC.KeepAlive(training);
        return new Booster(handle);
    }

    /// <summary>A model from XGBoost JSON (or UBJSON) bytes; a damaged model gives an <see cref="XGBoostException"/>.</summary>
    public static Booster Load(ReadOnlySpan<byte> model)
    {
        if (model.IsEmpty)
        {
            throw new XGBoostException("The model is empty.");
        }

        XGBoostNative.Check(XGBoostNative.XGBoosterCreate(null, 0, out var handle), nameof(XGBoostNative.XGBoosterCreate));
        var booster = new Booster(handle);
        try
        {
            fixed (byte* buffer = model)
            {
                XGBoostNative.Check(
                    XGBoostNative.XGBoosterLoadModelFromBuffer(handle, buffer, (ulong)model.Length),
                    nameof(XGBoostNative.XGBoosterLoadModelFromBuffer));
            }

            return booster;
        }
        catch
        {
            booster.Dispose();
            throw;
        }
    }

    /// <summary>A model from an XGBoost JSON file; the path is named in the error when it cannot be used.</summary>
    public static Booster LoadFile(string path)
    {
        try
        {
            return Load(File.ReadAllBytes(path));
        }
        catch (XGBoostException ex)
        {
            throw new XGBoostException($"The model {path} cannot be loaded: {ex.Message}", ex);
        }
    }

    /// <summary>Rounds trained so far (trees per class).</summary>
    public int BoostedRounds
    {
        get
        {
            XGBoostNative.Check(XGBoostNative.XGBoosterBoostedRounds(_handle, out var rounds), nameof(XGBoostNative.XGBoosterBoostedRounds));
            return rounds;
        }
    }

    /// <summary>The number of features a row must have.</summary>
    public int FeatureCount
    {
        get
        {
            XGBoostNative.Check(XGBoostNative.XGBoosterGetNumFeature(_handle, out var features), nameof(XGBoostNative.XGBoosterGetNumFeature));
            return (int)features;
        }
    }

    /// <summary>One training parameter, as XGBoost names it (<c>objective</c>, <c>max_depth</c>, <c>nthread</c>, <c>seed</c>...).</summary>
    public void SetParameter(string name, string value) =>
        XGBoostNative.Check(XGBoostNative.XGBoosterSetParam(_handle, name, value), $"{nameof(XGBoostNative.XGBoosterSetParam)}({name}={value})");

    /// <summary>Trains <paramref name="rounds"/> more rounds on <paramref name="training"/>.</summary>
    public void Train(DMatrix training, int rounds)
    {
        var first = BoostedRounds;
        for (var i = 0; i < rounds; i++)
        {
            XGBoostNative.Check(XGBoostNative.XGBoosterUpdateOneIter(_handle, first + i, training.Handle), nameof(XGBoostNative.XGBoosterUpdateOneIter));
        }
    }

    /// <summary>The model as XGBoost JSON.</summary>
    public byte[] SaveJson()
    {
        lock (_gate)
        {
            XGBoostNative.Check(
                XGBoostNative.XGBoosterSaveModelToBuffer(_handle, """{"format": "json"}""", out var length, out var data),
                nameof(XGBoostNative.XGBoosterSaveModelToBuffer));
            return new ReadOnlySpan<byte>(data, checked((int)length)).ToArray();
        }
    }

    /// <summary>Writes the model as XGBoost JSON; the file is replaced whole, never left half-written.</summary>
    public void SaveJson(string path)
    {
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, SaveJson());
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Predicts every row of <paramref name="values"/> (rows x <see cref="FeatureCount"/>, row-major) into <paramref name="output"/>.</summary>
    public void Predict(ReadOnlySpan<float> values, int rows, Span<float> output)
    {
        var columns = rows > 0 ? values.Length / rows : 0;
        DMatrix.CheckShape(values.Length, rows, columns);
        Span<byte> arrayInterface = stackalloc byte[160];
        lock (_gate)
        {
            fixed (float* data = values)
            {
                if (!Utf8.TryWrite(arrayInterface, $$"""{"data": [{{(ulong)data}}, true], "shape": [{{rows}}, {{columns}}], "typestr": "<f4", "version": 3}""", out var written) ||
                    written >= arrayInterface.Length)
                {
                    throw new XGBoostException("The array description does not fit its buffer.");
                }

                arrayInterface[written] = 0;
                fixed (byte* description = arrayInterface)
                fixed (byte* config = PredictConfig)
                {
                    XGBoostNative.Check(
                        XGBoostNative.XGBoosterPredictFromDense(_handle, description, config, 0, out var shape, out var dimensions, out var result),
                        nameof(XGBoostNative.XGBoosterPredictFromDense));
                    var count = 1UL;
                    for (var d = 0UL; d < dimensions; d++)
                    {
                        count *= shape[d];
                    }

                    if (count > (ulong)output.Length)
                    {
                        throw new XGBoostException($"The prediction has {count} values; the output holds {output.Length}.");
                    }

                    new ReadOnlySpan<float>(result, (int)count).CopyTo(output);
                }
            }
        }
    }

    /// <summary>The prediction for one row (for <c>binary:logistic</c>, the probability of the positive class).</summary>
    public float PredictRow(ReadOnlySpan<float> row)
    {
        Span<float> output = stackalloc float[1];
        Predict(row, 1, output);
        return output[0];
    }

    public void Dispose() => _handle.Dispose();
}
