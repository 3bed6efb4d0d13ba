using System.Buffers;
using System.Globalization;
using System.Text;

namespace EdgeSafety.Influx;

/// <summary>
/// Formats points as InfluxDB line protocol for <c>/write?precision=ms</c>:
/// <c>measurement,tag=value field=1.5,count=3i,name="text",ok=true 1700000000000</c>.
/// </summary>
public static class LineProtocol
{
    private static readonly SearchValues<char> MeasurementSpecials = SearchValues.Create(", ");
    private static readonly SearchValues<char> KeySpecials = SearchValues.Create(",= ");
    private static readonly SearchValues<char> StringFieldSpecials = SearchValues.Create("\"\\");

    /// <summary>
    /// Appends the point as one line, ended by '\n', so that appending points one after the other makes a batch.
    /// Escapes with a backslash: in the measurement comma and space; in tag keys, tag values and field keys
    /// comma, equals sign and space; in string field values double quote and backslash. Tags are sorted by key
    /// (ordinal), fields keep the caller's order; doubles use the invariant round-trip format, integers end in 'i',
    /// the timestamp is in milliseconds since 1970.
    /// </summary>
    public static void Append(StringBuilder destination, InfluxPoint point)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(point);
        if (point.Fields.Count == 0)
        {
            throw new ArgumentException($"The point of \"{point.Measurement}\" has no field; Influx needs at least one.", nameof(point));
        }

        AppendEscaped(destination, point.Measurement, MeasurementSpecials);
        var tags = point.Tags;
        if (tags.Count > 0)
        {
            var sorted = tags.ToArray();
            Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
            foreach (var (key, value) in sorted)
            {
                destination.Append(',');
                AppendEscaped(destination, key, KeySpecials);
                destination.Append('=');
                AppendEscaped(destination, value, KeySpecials);
            }
        }

        var separator = ' ';
        foreach (var (key, value) in point.Fields)
        {
            destination.Append(separator);
            separator = ',';
            AppendEscaped(destination, key, KeySpecials);
            destination.Append('=');
            AppendFieldValue(destination, value);
        }

        destination.Append(CultureInfo.InvariantCulture, $" {point.Timestamp.ToUnixTimeMilliseconds()}\n");
    }

    /// <summary>The point as one line of line protocol, without the ending '\n'.</summary>
    public static string Format(InfluxPoint point)
    {
        var line = new StringBuilder();
        Append(line, point);
        return line.ToString(0, line.Length - 1);
    }

    private static void AppendFieldValue(StringBuilder destination, InfluxFieldValue value)
    {
        switch (value.Kind)
        {
            case InfluxFieldKind.Float:
                // Formatted into the builder (no string per value): a harmonic meter's reading has 39 of them.
                destination.Append(CultureInfo.InvariantCulture, $"{value.Float:R}");
                break;
            case InfluxFieldKind.Integer:
                destination.Append(CultureInfo.InvariantCulture, $"{value.Integer}i");
                break;
            case InfluxFieldKind.Boolean:
                destination.Append(value.Integer != 0 ? "true" : "false");
                break;
            case InfluxFieldKind.String:
                destination.Append('"');
                AppendEscaped(destination, value.Text!, StringFieldSpecials);
                destination.Append('"');
                break;
            default:
                throw new InvalidOperationException($"Unknown field kind {value.Kind}.");
        }
    }

    private static void AppendEscaped(StringBuilder destination, string text, SearchValues<char> specials)
    {
        var rest = text.AsSpan();
        int next;
        while ((next = rest.IndexOfAny(specials)) >= 0)
        {
            destination.Append(rest[..next]).Append('\\').Append(rest[next]);
            rest = rest[(next + 1)..];
        }

        destination.Append(rest);
    }
}
