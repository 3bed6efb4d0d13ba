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
    /// Appends the point as one line of UTF-8, ended by '\n', so that appending points one after the other makes a batch.
    /// Escapes with a backslash: in the measurement comma and space; in tag keys, tag values and field keys
    /// comma, equals sign and space; in string field values double quote and backslash. Tags are sorted by key
    /// (ordinal), fields keep the caller's order; doubles use the invariant round-trip format, integers end in 'i',
    /// the timestamp is in milliseconds since 1970. Written straight into the destination's buffer: a harmonic meter's
    /// point (39 fields) costs no allocation when its tags come sorted.
    /// </summary>
    public static void Append(IBufferWriter<byte> destination, InfluxPoint point)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(point);
        if (point.Fields.Count == 0)
        {
            throw new ArgumentException($"The point of \"{point.Measurement}\" has no field; Influx needs at least one.", nameof(point));
        }

        WriteEscaped(destination, point.Measurement, MeasurementSpecials);
        foreach (var (key, value) in SortedByKey(point.Tags))
        {
            WriteByte(destination, (byte)',');
            WriteEscaped(destination, key, KeySpecials);
            WriteByte(destination, (byte)'=');
            WriteEscaped(destination, value, KeySpecials);
        }

        var separator = (byte)' ';
        foreach (var (key, value) in point.Fields)
        {
            WriteByte(destination, separator);
            separator = (byte)',';
            WriteEscaped(destination, key, KeySpecials);
            WriteByte(destination, (byte)'=');
            WriteFieldValue(destination, value);
        }

        WriteByte(destination, (byte)' ');
        WriteFormatted(destination, point.Timestamp.ToUnixTimeMilliseconds(), default);
        WriteByte(destination, (byte)'\n');
    }

    /// <summary>As <see cref="Append(IBufferWriter{byte}, InfluxPoint)"/>, into text.</summary>
    public static void Append(StringBuilder destination, InfluxPoint point)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var line = new ArrayBufferWriter<byte>(256);
        Append(line, point);
        destination.Append(Encoding.UTF8.GetString(line.WrittenSpan));
    }

    /// <summary>The point as one line of line protocol, without the ending '\n'.</summary>
    public static string Format(InfluxPoint point)
    {
        var line = new ArrayBufferWriter<byte>(256);
        Append(line, point);
        return Encoding.UTF8.GetString(line.WrittenSpan[..^1]);
    }

    /// <summary>The tags as given when already in key order (the usual case: no copy), else a sorted copy.</summary>
    private static IReadOnlyList<KeyValuePair<string, string>> SortedByKey(IReadOnlyList<KeyValuePair<string, string>> tags)
    {
        for (var i = 1; i < tags.Count; i++)
        {
            if (string.CompareOrdinal(tags[i - 1].Key, tags[i].Key) > 0)
            {
                var sorted = tags.ToArray();
                Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
                return sorted;
            }
        }

        return tags;
    }

    private static void WriteFieldValue(IBufferWriter<byte> destination, InfluxFieldValue value)
    {
        switch (value.Kind)
        {
            case InfluxFieldKind.Float when !value.FloatText.IsEmpty:
                destination.Write(value.FloatText.Span);
                break;
            case InfluxFieldKind.Float:
                WriteFormatted(destination, value.Float, "R");
                break;
            case InfluxFieldKind.Integer:
                WriteFormatted(destination, value.Integer, default);
                WriteByte(destination, (byte)'i');
                break;
            case InfluxFieldKind.Boolean:
                destination.Write(value.Integer != 0 ? "true"u8 : "false"u8);
                break;
            case InfluxFieldKind.String:
                WriteByte(destination, (byte)'"');
                WriteEscaped(destination, value.Text!, StringFieldSpecials);
                WriteByte(destination, (byte)'"');
                break;
            default:
                throw new InvalidOperationException($"Unknown field kind {value.Kind}.");
        }
    }

    /// <summary>
    /// Whether the text is a number in JSON syntax: <c>-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?</c>. Every such text
    /// is a float to line protocol (InfluxDB 1.x scans '-', digits, one '.', and 'e' or 'E' with an optional sign; a
    /// number without a trailing 'i' or 'u' is a float).
    /// </summary>
    internal static bool IsJsonNumber(ReadOnlySpan<byte> text)
    {
        var i = 0;
        if (i < text.Length && text[i] == '-')
        {
            i++;
        }

        if (i < text.Length && text[i] == '0')
        {
            i++;
        }
        else if (!Digits(text, ref i))
        {
            return false;
        }

        if (i < text.Length && text[i] == '.')
        {
            i++;
            if (!Digits(text, ref i))
            {
                return false;
            }
        }

        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            i++;
            if (i < text.Length && (text[i] == '+' || text[i] == '-'))
            {
                i++;
            }

            if (!Digits(text, ref i))
            {
                return false;
            }
        }

        return i == text.Length;

        static bool Digits(ReadOnlySpan<byte> text, ref int i)
        {
            var start = i;
            while (i < text.Length && char.IsAsciiDigit((char)text[i]))
            {
                i++;
            }

            return i > start;
        }
    }

    /// <summary>A number in its invariant form (at most 32 bytes: a round-trip double or a long).</summary>
    private static void WriteFormatted<T>(IBufferWriter<byte> destination, T value, ReadOnlySpan<char> format)
        where T : IUtf8SpanFormattable
    {
        var span = destination.GetSpan(32);
        if (!value.TryFormat(span, out var written, format, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException($"{value} did not fit in 32 bytes.");
        }

        destination.Advance(written);
    }

    private static void WriteByte(IBufferWriter<byte> destination, byte value)
    {
        destination.GetSpan(1)[0] = value;
        destination.Advance(1);
    }

    /// <summary>The text as UTF-8 with a backslash before each special character (all of them ASCII).</summary>
    private static void WriteEscaped(IBufferWriter<byte> destination, string text, SearchValues<char> specials)
    {
        var rest = text.AsSpan();
        int next;
        while ((next = rest.IndexOfAny(specials)) >= 0)
        {
            WriteUtf8(destination, rest[..next]);
            WriteByte(destination, (byte)'\\');
            WriteByte(destination, (byte)rest[next]);
            rest = rest[(next + 1)..];
        }

        WriteUtf8(destination, rest);
    }

    private static void WriteUtf8(IBufferWriter<byte> destination, ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }

        var span = destination.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        destination.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}
