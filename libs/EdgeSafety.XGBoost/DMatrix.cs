using EdgeSafety.XGBoost.Native;

namespace EdgeSafety.XGBoost;

/// <summary>
/// Training data in XGBoost's memory: a dense row-major matrix of floats, NaN meaning "missing" (a feature the
/// meter cannot measure), with one label per row.
/// </summary>
public sealed unsafe class DMatrix : IDisposable
{
    private DMatrix(DMatrixSafeHandle handle, int rows, int columns)
    {
        Handle = handle;
        Rows = rows;
        Columns = columns;
    }

    public int Rows { get; }

    public int Columns { get; }

    internal DMatrixSafeHandle Handle { get; }

    /// <summary>Copies <paramref name="values"/> (rows x columns, row-major) into a new matrix.</summary>
    public static DMatrix FromDense(ReadOnlySpan<float> values, int rows, int columns)
    {
        CheckShape(values.Length, rows, columns);
        fixed (float* data = values)
        {
            XGBoostNative.Check(
                XGBoostNative.XGDMatrixCreateFromMat(data, (ulong)rows, (ulong)columns, float.NaN, out var handle),
                nameof(XGBoostNative.XGDMatrixCreateFromMat));
            return new DMatrix(handle, rows, columns);
        }
    }

    /// <summary>The training targets, one per row (0 or 1 for a binary classifier).</summary>
    public void SetLabels(ReadOnlySpan<float> labels) => SetFloatInfo("label", labels);

    /// <summary>How much each row counts in training, one per row (every row counts 1 unless set).</summary>
    public void SetWeights(ReadOnlySpan<float> weights) => SetFloatInfo("weight", weights);

    public void Dispose() => Handle.Dispose();

    private void SetFloatInfo(string field, ReadOnlySpan<float> values)
    {
        if (values.Length != Rows)
        {
            throw new XGBoostException($"{values.Length} {field}s for a matrix of {Rows} rows.");
        }

        fixed (float* data = values)
        {
            XGBoostNative.Check(
                XGBoostNative.XGDMatrixSetFloatInfo(Handle, field, data, (ulong)values.Length),
                nameof(XGBoostNative.XGDMatrixSetFloatInfo));
        }
    }

    internal static void CheckShape(int length, int rows, int columns)
    {
        if (rows <= 0 || columns <= 0 || (long)rows * columns != length)
        {
            throw new XGBoostException($"{length} values do not make {rows} rows of {columns} columns.");
        }
    }
}
