using System.Globalization;
using EdgeSafety.Contracts;

namespace EdgeSafety.Fuzz.Targets;

/// <summary>Valid inputs to start from: identifiers, value names, numbers and topics as real publishers make them.</summary>
public static class Generators
{
    /// <summary>The receivers' clock: fixed, so that a case's timestamp is judged the same way on every replay.</summary>
    public static readonly DateTimeOffset Now = new(2026, 7, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly string[] ValueNames =
    [
        "voltage_v", "current_a", "power_w", "reactive_var", "apparent_va", "power_factor", "frequency_hz", "energy_kwh",
        "thd_i_pct", "h3_pct", "h15_pct", "db_a", "db_a_max", "time", "seq", "v", "a", "x_1",
    ];

    private static readonly string[] Ids = ["haizhu", "gw-01", "meter-301", "noise-courtyard", "a", "A_1", "x-", new('z', 64)];

    public static string Id(Random random)
    {
        if (random.Chance(0.6))
        {
            return random.Pick(Ids);
        }

        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
        return new string([.. Enumerable.Range(0, 1 + random.Next(random.Chance(0.9) ? 12 : 64)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
    }

    public static string ValueName(Random random) => random.Pick(ValueNames);

    /// <summary>A finite double of any magnitude: ordinary readings mostly, extremes sometimes.</summary>
    public static double Number(Random random) => random.Next(6) switch
    {
        0 => random.Pick([0.0, -0.0, double.MaxValue, double.MinValue, double.Epsilon, 1e-300, float.MaxValue, long.MaxValue, 0.1]),
        1 => BitConverter.Int64BitsToDouble(random.NextInt64()) is var d && double.IsFinite(d) ? d : 1,
        _ => Math.Round((random.NextDouble() - 0.2) * 500, random.Next(4)),
    };

    /// <summary>A timestamp near the receivers' clock, or at the edges of what they accept.</summary>
    public static DateTimeOffset Timestamp(Random random) => random.Next(8) switch
    {
        0 => new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero),
        1 => Now.AddDays(1),
        _ => Now.AddSeconds(-random.Next(86_400 * 30)).AddMilliseconds(random.Next(1000)),
    };

    public static long Sequence(Random random) => random.Next(4) switch
    {
        0 => 0,
        1 => long.MaxValue,
        _ => random.Next(1_000_000),
    };

    /// <summary>
    /// A topic of <paramref name="valid"/>'s shape mutated by segment: one dropped, added, emptied or replaced by
    /// wildcards, separators or characters identifiers refuse; or left valid.
    /// </summary>
    public static string MutateTopic(Random random, string valid)
    {
        if (random.Chance(0.8))
        {
            return valid;
        }

        var parts = valid.Split('/').ToList();
        var at = random.Next(parts.Count);
        switch (random.Next(6))
        {
            case 0:
                parts.RemoveAt(at);
                break;
            case 1:
                parts.Insert(at, Id(random));
                break;
            case 2:
                parts[at] = "";
                break;
            case 3:
                parts[at] = random.Pick(["+", "#", "$SYS", "..", " ", "é", "a b", new string('a', 65), "65", "-1", "0", "63", "64", "readings", "events", "status", "commands", "v2"]);
                break;
            case 4:
                parts[at] = random.Pick(Mutator.Strings);
                break;
            default:
                parts.Add(random.Next(Topics.PartitionCount + 2).ToString(CultureInfo.InvariantCulture));
                break;
        }

        return string.Join('/', parts);
    }
}
