namespace EdgeSafety.Influx;

/// <summary>What a failed write means for the batch.</summary>
public enum InfluxWriteFailure
{
    /// <summary>
    /// The batch is not at fault: connection refused, timeout, 5xx, 408, 429, and also 401/403 (credentials) and
    /// 404 (database not found), which an operator or <see cref="InfluxClient.EnsureDatabaseAsync"/> can fix.
    /// Retry the same batch later.
    /// </summary>
    Transient,

    /// <summary>
    /// The server refused the batch's content (400 for a parse error or a field type conflict, 413 for a body that is
    /// too large, other 4xx): retrying the same batch will never work. See <see cref="InfluxWriteException.IsPartialWrite"/>.
    /// </summary>
    Rejected,
}

/// <summary>A write that did not (entirely) succeed; the message carries Influx's own error text.</summary>
public sealed class InfluxWriteException : Exception
{
    public InfluxWriteException(InfluxWriteFailure failure, int? statusCode, string? serverError, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
        StatusCode = statusCode;
        ServerError = serverError;
        IsPartialWrite = serverError?.StartsWith("partial write", StringComparison.Ordinal) == true;
        DroppedPoints = IsPartialWrite ? ParseDropped(serverError!) : null;
    }

    public InfluxWriteFailure Failure { get; }

    /// <summary>The HTTP status, or null when no answer came (connection refused, timeout).</summary>
    public int? StatusCode { get; }

    /// <summary>Influx's error text as it sent it ({"error": "..."} or the X-Influxdb-Error header), if any.</summary>
    public string? ServerError { get; }

    /// <summary>
    /// Influx answered "partial write: ...": it stored the points it could and dropped the others. Influx 1.x says so
    /// even when it dropped every point of the batch; the stored ones need no retry (writing them again is harmless).
    /// </summary>
    public bool IsPartialWrite { get; }

    /// <summary>
    /// Influx's count of dropped points ("dropped=N") of a partial write, when it said one. Influx 1.x counts points it
    /// refused (type conflict, retention) but not lines it could not parse, so this can be 0 on a partial write.
    /// </summary>
    public int? DroppedPoints { get; }

    private static int? ParseDropped(string serverError)
    {
        const string Marker = "dropped=";
        var at = serverError.LastIndexOf(Marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var digits = serverError.AsSpan(at + Marker.Length);
        var length = 0;
        while (length < digits.Length && char.IsAsciiDigit(digits[length]))
        {
            length++;
        }

        return int.TryParse(digits[..length], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var dropped)
            ? dropped
            : null;
    }
}
