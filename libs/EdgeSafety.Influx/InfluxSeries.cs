using System.Text.Json;

namespace EdgeSafety.Influx;

/// <summary>
/// One series of a query's answer: its measurement name, the GROUP BY tags, the columns (the first is "time",
/// in milliseconds since 1970 as a number) and the rows, one <see cref="JsonElement"/> a column (null where a row has no value).
/// </summary>
public sealed record InfluxSeries(
    string Name,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<string> Columns,
    IReadOnlyList<IReadOnlyList<JsonElement>> Values)
{
    /// <summary>The index of a column by name, or -1.</summary>
    public int ColumnIndex(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (Columns[i] == column)
            {
                return i;
            }
        }

        return -1;
    }
}
