using System.Globalization;
using System.Text;

namespace EdgeSafety.Fuzz.Targets;

/// <summary>CSV files as the analytics commands read them, and mutations by field, by row and by byte.</summary>
public static class CsvGenerator
{
    private static readonly string[] Fields =
    [
        "", " ", "\"\"", "\"a,b\"", "\"unclosed", "a\"b", "\"\"\"\"", "-", "0", "-1", "1e309", "NaN", "Infinity", "-0",
        "253402300799999", "253402300800000", "-1000", "9999999999999999999", "2026-07-01T22:00:00+08:00", "2026-07-01T22:00:00Z",
        "2026-07-01T22:00:00", "2026-07-01 22:00:00+08:00", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00",
        "2026-07-01T22:00:00+25:00", "T+", "1T-1", "2026-13-01T00:00:00Z", "\t", "\r", "\0", "é", new('9', 400),
    ];

    /// <summary>A timestamp column value: ISO-8601 with an offset, or Unix milliseconds.</summary>
    public static string Timestamp(Random random, DateTimeOffset at) => random.Chance(0.5)
        ? at.ToOffset(TimeSpan.FromHours(random.Pick([0, 8, -5]))).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFzzz", CultureInfo.InvariantCulture)
        : at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>The header and rows written as CSV after mutations (none now and then, to exercise good rows).</summary>
    public static byte[] Write(Random random, List<string> header, List<List<string>> rows)
    {
        var roll = random.NextDouble();
        if (roll is >= 0.1 and < 0.7)
        {
            for (var i = 1 + random.Next(4); i > 0; i--)
            {
                MutateTable(random, header, rows);
            }
        }

        var text = new StringBuilder();
        text.Append(string.Join(',', header)).Append(random.Chance(0.1) ? "\r\n" : "\n");
        foreach (var row in rows)
        {
            text.Append(string.Join(',', row)).Append('\n');
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        return roll >= 0.7 ? Mutator.Bytes(random, bytes, 1 + random.Next(6)) : bytes;
    }

    private static void MutateTable(Random random, List<string> header, List<List<string>> rows)
    {
        var row = rows.Count == 0 ? header : random.Pick(rows);
        if (row.Count == 0)
        {
            // A row emptied by earlier mutations (the header too) gets a field back.
            row.Add(random.Pick(Fields));
            return;
        }

        switch (random.Next(10))
        {
            case 0:
                header[random.Next(header.Count)] = random.Chance(0.5) ? random.Pick(header) : random.Pick(Mutator.Strings);
                break;
            case 1:
                row.RemoveAt(random.Next(row.Count));
                break;
            case 2:
                row.Insert(random.Next(row.Count + 1), random.Pick(Fields));
                break;
            case 3 when rows.Count > 1:
                var (a, b) = (random.Next(rows.Count), random.Next(rows.Count));
                (rows[a], rows[b]) = (rows[b], rows[a]);
                break;
            case 4:
                rows.Insert(random.Next(rows.Count + 1), random.Chance(0.5) ? [""] : [.. row]);
                break;
            case 5:
                row[random.Next(row.Count)] = random.Pick(Mutator.Numbers);
                break;
            case 6:
                row[random.Next(row.Count)] = random.Pick(Mutator.Strings).Replace("\n", "", StringComparison.Ordinal);
                break;
            default:
                row[random.Next(row.Count)] = random.Pick(Fields);
                break;
        }
    }
}
