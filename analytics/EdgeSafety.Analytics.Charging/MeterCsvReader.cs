using System.Globalization;

namespace EdgeSafety.Analytics.Charging;

/// <summary>A row of a meter CSV that cannot be read, with its line number (1 is the header).</summary>
public sealed class MeterCsvException(long line, string message) : Exception($"line {line}: {message}")
{
    public long Line { get; } = line;
}

/// <summary>One row of a meter CSV: the meter it is from and its reading.</summary>
public readonly record struct MeterCsvRow(long Line, string Meter, MeterObservation Observation);

/// <summary>
/// Reads the detect command's CSV (analytics/README.md): a header naming the columns, then one reading per row.
/// Required: <c>ts</c> (ISO-8601 with an offset, or Unix milliseconds), <c>meter</c>, <c>voltage_v</c>,
/// <c>current_a</c>, <c>power_w</c>. Optional, empty or absent: <c>reactive_var</c>, <c>power_factor</c>,
/// <c>thd_i_pct</c>, <c>h3_pct</c> ... <c>h15_pct</c> (harmonics count only when all seven are there). Other
/// columns are ignored. A bad row throws <see cref="MeterCsvException"/>, or with <c>skipBadRows</c> is counted in
/// <see cref="SkippedRows"/> and reported through <c>onSkipped</c>.
/// </summary>
public sealed class MeterCsvReader(TextReader reader, bool skipBadRows, Action<MeterCsvException>? onSkipped = null)
{
    private static readonly string[] Required = ["ts", "meter", "voltage_v", "current_a", "power_w"];

    public long SkippedRows { get; private set; }

    public IEnumerable<MeterCsvRow> ReadRows()
    {
        var header = reader.ReadLine() ?? throw new MeterCsvException(1, "the file is empty; expected a header with " + string.Join(',', Required));
        var columns = Columns.Of(SplitFields(header, 1));
        long line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0 || text.AsSpan().Trim().IsEmpty)
            {
                continue;
            }

            MeterCsvRow row;
            try
            {
                row = Parse(columns, SplitFields(text, line), line);
            }
            catch (MeterCsvException ex) when (skipBadRows)
            {
                SkippedRows++;
                onSkipped?.Invoke(ex);
                continue;
            }

            yield return row;
        }
    }

    private static MeterCsvRow Parse(Columns columns, List<string> fields, long line)
    {
        if (fields.Count != columns.Count)
        {
            throw new MeterCsvException(line, $"{fields.Count} fields, the header has {columns.Count}");
        }

        var meter = fields[columns.Meter].Trim();
        if (meter.Length == 0)
        {
            throw new MeterCsvException(line, "meter is empty");
        }

        var observation = new MeterObservation(
            Timestamp(fields[columns.Ts], line),
            Number(fields, columns.Voltage, "voltage_v", line) ?? throw Missing("voltage_v", line),
            Number(fields, columns.Current, "current_a", line) ?? throw Missing("current_a", line),
            Number(fields, columns.Power, "power_w", line) ?? throw Missing("power_w", line))
        {
            ReactiveVar = Number(fields, columns.Reactive, "reactive_var", line),
            PowerFactor = Number(fields, columns.PowerFactor, "power_factor", line),
            ThdIPct = Number(fields, columns.Thd, "thd_i_pct", line),
        };
        if (observation.VoltageV <= 0 || observation.CurrentA < 0)
        {
            throw new MeterCsvException(line, "voltage_v must be positive and current_a not negative");
        }

        var harmonics = default(OddHarmonics);
        var all = true;
        for (var i = 0; i < OddHarmonics.Count; i++)
        {
            var value = Number(fields, columns.Harmonics[i], $"h{OddHarmonics.OrderAt(i)}_pct", line);
            all &= value is not null;
            harmonics[i] = value ?? 0;
        }

        return new MeterCsvRow(line, meter, all ? observation with { Harmonics = harmonics } : observation);
    }

    private static MeterCsvException Missing(string column, long line) => new(line, $"{column} is empty");

    private static DateTimeOffset Timestamp(string text, long line)
    {
        var value = text.Trim();
        if (value.Length > 0 && value.All(char.IsAsciiDigit))
        {
            if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms <= 253_402_300_799_999)
            {
                return DateTimeOffset.FromUnixTimeMilliseconds(ms);
            }
        }
        else if (HasOffset(value) &&
                 DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            return parsed;
        }

        throw new MeterCsvException(line, $"ts \"{value}\" is neither ISO-8601 with an offset (2026-11-22T21:00:00+08:00) nor Unix milliseconds");
    }

    /// <summary>ISO-8601 with 'Z' or ±hh:mm after the time: a time without an offset is ambiguous and refused.</summary>
    private static bool HasOffset(string value)
    {
        var t = value.IndexOf('T', StringComparison.Ordinal);
        return t > 0 && (value.EndsWith('Z') || value.AsSpan(t).IndexOfAny('+', '-') > 0);
    }

    private static double? Number(List<string> fields, int column, string name, long line)
    {
        if (column < 0)
        {
            return null;
        }

        var text = fields[column].Trim();
        if (text.Length == 0)
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw new MeterCsvException(line, $"{name} \"{text}\" is not a number");
        }

        return value;
    }

    /// <summary>Comma-separated fields; a field may be double-quoted, with "" for a quote inside.</summary>
    private static List<string> SplitFields(string text, long line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c != '"')
                {
                    field.Append(c);
                }
                else if (i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                {
                    quoted = false;
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c != '\r')
            {
                field.Append(c);
            }
        }

        if (quoted)
        {
            throw new MeterCsvException(line, "a quoted field is not closed");
        }

        fields.Add(field.ToString());
        return fields;
    }

    /// <summary>Where each known column is (-1: absent).</summary>
    private sealed class Columns
    {
        public int Count { get; private init; }

        public int Ts { get; private init; }

        public int Meter { get; private init; }

        public int Voltage { get; private init; }

        public int Current { get; private init; }

        public int Power { get; private init; }

        public int Reactive { get; private init; }

        public int PowerFactor { get; private init; }

        public int Thd { get; private init; }

        public int[] Harmonics { get; private init; } = [];

        public static Columns Of(List<string> header)
        {
            var names = header.Select(h => h.Trim().ToLowerInvariant()).ToList();
            var duplicate = names.GroupBy(n => n).FirstOrDefault(g => g.Key.Length > 0 && g.Count() > 1);
            if (duplicate is not null)
            {
                throw new MeterCsvException(1, $"the header names {duplicate.Key} twice");
            }

            var missing = Required.Where(r => !names.Contains(r)).ToList();
            if (missing.Count > 0)
            {
                throw new MeterCsvException(1, $"the header lacks {string.Join(", ", missing)} (it must name {string.Join(',', Required)})");
            }

            return new Columns
            {
                Count = names.Count,
                Ts = names.IndexOf("ts"),
                Meter = names.IndexOf("meter"),
                Voltage = names.IndexOf("voltage_v"),
                Current = names.IndexOf("current_a"),
                Power = names.IndexOf("power_w"),
                Reactive = names.IndexOf("reactive_var"),
                PowerFactor = names.IndexOf("power_factor"),
                Thd = names.IndexOf("thd_i_pct"),
                Harmonics = [.. Enumerable.Range(0, OddHarmonics.Count).Select(i => names.IndexOf($"h{OddHarmonics.OrderAt(i)}_pct"))],
            };
        }
    }
}
