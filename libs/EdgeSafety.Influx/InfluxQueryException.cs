namespace EdgeSafety.Influx;

/// <summary>A query Influx refused or could not run (syntax error, unknown database, ...); the message carries Influx's text.</summary>
public sealed class InfluxQueryException : InvalidOperationException
{
    public InfluxQueryException(string message, string? serverError, int? statusCode, int? statementId, Exception? innerException = null)
        : base(message, innerException)
    {
        ServerError = serverError;
        StatusCode = statusCode;
        StatementId = statementId;
    }

    /// <summary>Influx's error text as it sent it, if any.</summary>
    public string? ServerError { get; }

    /// <summary>The HTTP status of the answer.</summary>
    public int? StatusCode { get; }

    /// <summary>Which statement of the query failed (0-based), when the error was about one statement.</summary>
    public int? StatementId { get; }
}
