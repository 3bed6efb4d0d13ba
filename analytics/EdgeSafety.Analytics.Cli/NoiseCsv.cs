using System.Globalization;

namespace EdgeSafety.Analytics.Cli;

/// <summary>One row of a noise CSV: a sample, or why the row is unusable (with its line number).</summary>
internal readonly record struct NoiseCsvRow(int Line, string Sensor, DateTimeOffset At, double Db, string? Error);

/// <summary>
/// Reads a noise CSV: a header naming at least <c>ts</c>, <c>sensor</c> and <c>db_a</c> (in any order, other columns
/// ignored), then one sample a row. <c>ts</c> is ISO-8601 with an offset (<c>2026-07-01T22:00:00+08:00</c>) or Unix
/// milliseconds. Blank lines are skipped; every other bad row is returned with its line number and the reason.
/// </summary>
internal static class NoiseCsv
{
    public static IEnumerable<NoiseCsvRow> Read(TextReader reader)
    {
        var header = reader.ReadLine();
        var columns = header?.Split(',').Select(c => c.Trim()).ToList() ?? [];
        var (ts, sensor, db) = (columns.IndexOf("ts"), columns.IndexOf("sensor"), columns.IndexOf("db_a"));
        if (ts < 0 || sensor < 0 || db < 0)
        {
            throw new FormatException($"line 1: the header must name the columns ts, sensor and db_a (it is '{header}')");
        }

        var line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (!string.IsNullOrWhiteSpace(text))
            {
                yield return Parse(line, text.Split(','), columns.Count, ts, sensor, db);
            }
        }
    }

    private static NoiseCsvRow Parse(int line, string[] fields, int columnCount, int tsColumn, int sensorColumn, int dbColumn)
    {
        if (fields.Length != columnCount)
        {
            return Bad(line, $"{fields.Length} fields where the header has {columnCount}");
        }

        var sensor = fields[sensorColumn].Trim();
        var tsText = fields[tsColumn].Trim();
        var dbText = fields[dbColumn].Trim();
        return sensor.Length == 0 ? Bad(line, "the sensor is empty")
            : !TryParseTimestamp(tsText, out var at) ? Bad(line, $"ts '{tsText}' is neither ISO-8601 with an offset nor Unix milliseconds")
            : !double.TryParse(dbText, NumberStyles.Float, CultureInfo.InvariantCulture, out var db) || !double.IsFinite(db) ? Bad(line, $"db_a '{dbText}' is not a number")
            : new NoiseCsvRow(line, sensor, at, db, null);
    }

    /// <summary>Unix milliseconds (digits only), or ISO-8601 with a date, a 'T', a time and an offset or 'Z'.</summary>
    public static bool TryParseTimestamp(string text, out DateTimeOffset at)
    {
        at = default;
        if (text.Length > 0 && text.All(char.IsAsciiDigit))
        {
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
            {
                return false;
            }

            at = DateTimeOffset.FromUnixTimeMilliseconds(ms);
            return true;
        }

        var time = text.IndexOf('T', StringComparison.Ordinal);
        var hasOffset = time > 0 && (text.EndsWith('Z') || text.IndexOfAny(['+', '-'], time) > 0);
        return hasOffset && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out at);
    }

    private static NoiseCsvRow Bad(int line, string error) => new(line, string.Empty, default, 0, error);
}
