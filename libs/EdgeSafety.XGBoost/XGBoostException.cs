namespace EdgeSafety.XGBoost;

/// <summary>A failure reported by libxgboost (its XGBGetLastError text, with the call that failed) or bad input to the binding.</summary>
public sealed class XGBoostException : Exception
{
    public XGBoostException()
    {
    }

    public XGBoostException(string message)
        : base(message)
    {
    }

    public XGBoostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
