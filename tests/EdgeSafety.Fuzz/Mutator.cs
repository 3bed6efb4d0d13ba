using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeSafety.Fuzz;

/// <summary>
/// Mutations of valid inputs: blind ones on bytes, and structure-aware ones on JSON (replace a value, drop or add a
/// member, repeat a key, nest deeply) and on text fields, drawing from values known to break parsers.
/// </summary>
public static class Mutator
{
    /// <summary>Numbers in JSON syntax: limits of every integer and float type, overflow, underflow, precision.</summary>
    public static readonly string[] JsonNumbers =
    [
        "0", "-0", "1", "-1", "0.0", "1e308", "1e309", "-1e309", "1e-400", "4.9e-324", "3.4028235e38", "3.5e38", "65535", "65536",
        "-32769", "32768", "2147483647", "2147483648", "-2147483649", "4294967295", "4294967296", "9007199254740993",
        "9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551616",
        "1" + new string('0', 400), "0." + new string('0', 400) + "1", "1.5", "0.1", "1E2", "1e+2",
    ];

    /// <summary>Numbers as text fields (CSV, query strings): the JSON ones and syntax only some parsers take.</summary>
    public static readonly string[] Numbers =
    [
        .. JsonNumbers, "01", "+1", ".5", "5.", "0x10", "NaN", "nan", "Infinity", "-Infinity", "∞", "1_000", "1,5", "١٢٣", " 1", "1 ",
    ];

    /// <summary>Strings: empty, huge, control characters, broken surrogates, look-alikes, separators, traversal, formats.</summary>
    public static readonly string[] Strings =
    [
        "", " ", "a", "A", "meter", "noise", "online", "offline", "tampered", "restored", "config", "warn", "diagnostics",
        new('a', 64), new('a', 65), new('x', 5000), "meter-301", "meter 301", "meter/301", "+", "#", "$SYS", "\0", "a\0b",
        "\u0001", "\u001f", "\u007f", "\u0085", "\u2028", "\u200b", "\ufeff", "é", "ＭＥＴＥＲ", "метр",
        "🔥🔥", "\u202e", "../../etc/passwd", "..\\..\\windows", "/root", "/proc/self", "/dev/zero", "%s%n", "{0}", "'; DROP TABLE alerts;--",
        "<script>alert(1)</script>", "2026-07-01T22:00:00Z", "2026-07-01T22:00:00+08:00", "2026-07-01", "1999-12-31T23:59:59Z",
        "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-07-01T25:61:61Z", "T", "Z",
        "2026-07-01T22:00:00+99:00", "2026-07-01T22:00:00.1234567890123Z", "10000-01-01T00:00:00Z", "-2026-07-01T00:00:00Z",
        "true", "null", "1", "NaN", "int16", "uint32", "float32", "high-first", "low-first", "swapped", "holding", "input",
    ];

    private static readonly string[] JsonLiterals =
    [
        "null", "true", "false", "{}", "[]", new string('[', 40) + new string(']', 40), "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":1}}}}}",
        "[1,2,3]", "{\"\":1}",
    ];

    private static readonly byte[][] ByteRuns =
    [
        [0x00], [0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xef, 0xbb, 0xbf], [0xf4, 0x90, 0x80, 0x80], [0x80], [0xfe, 0xff],
        "\"\""u8.ToArray(), "\\u0000"u8.ToArray(), "\\ud800"u8.ToArray(), "{"u8.ToArray(), "}"u8.ToArray(), "["u8.ToArray(),
        ","u8.ToArray(), ":"u8.ToArray(), "\""u8.ToArray(), "\\"u8.ToArray(), "\r\n"u8.ToArray(), "/*x*/"u8.ToArray(),
    ];

    // Mutations nest values deeply: the writer must go deeper than the parsers under test accept.
    private static readonly JsonSerializerOptions Escaped = new() { MaxDepth = 1024 };
    private static readonly JsonSerializerOptions Relaxed = new() { MaxDepth = 1024, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static T Pick<T>(this Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    public static bool Chance(this Random random, double probability) => random.NextDouble() < probability;

    /// <summary>
    /// A case from a valid JSON input: kept as is now and then (the accepted path needs exercising too), else mutated
    /// by structure, as text, or as bytes.
    /// </summary>
    public static byte[] MutateJson(Random random, byte[] valid)
    {
        var roll = random.NextDouble();
        return roll switch
        {
            < 0.15 => valid,
            < 0.60 => Structure(random, valid, 1 + random.Next(3)),
            < 0.75 => Text(random, valid),
            _ => Bytes(random, valid, 1 + random.Next(6)),
        };
    }

    /// <summary>Blind byte mutations: flips, replacements, insertions, deletions, repeats, truncation, known-bad runs.</summary>
    public static byte[] Bytes(Random random, byte[] input, int count)
    {
        var bytes = new List<byte>(input);
        for (var i = 0; i < count; i++)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(8))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.InsertRange(at, random.Pick(ByteRuns));
                    break;
                case 3 when bytes.Count > 0:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(16)));
                    break;
                case 4 when bytes.Count > 0:
                    var length = Math.Min(bytes.Count - at, 1 + random.Next(32));
                    bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, length));
                    break;
                case 5 when bytes.Count > 0:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 6:
                    var noise = new byte[1 + random.Next(8)];
                    random.NextBytes(noise);
                    bytes.InsertRange(at, noise);
                    break;
                default:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(random.Pick(Strings)));
                    break;
            }
        }

        return [.. bytes];
    }

    /// <summary>Text mutations that keep most of the syntax: a number or a string literal replaced, a key repeated, the end cut.</summary>
    public static byte[] Text(Random random, byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        switch (random.Next(5))
        {
            case 0:
                return Encoding.UTF8.GetBytes(ReplaceRun(random, text, char.IsAsciiDigit, random.Pick(Numbers)));
            case 1:
                var quote = text.IndexOf('"', random.Next(Math.Max(1, text.Length)));
                var end = quote < 0 ? -1 : text.IndexOf('"', quote + 1);
                return end < 0 ? input : Encoding.UTF8.GetBytes(string.Concat(text.AsSpan(0, quote + 1), JsonEncodedText.Encode(random.Pick(Strings), JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value, text.AsSpan(end)));
            case 2:
                // A key twice: the first of a repeated member wins in some parsers, the last in others.
                var brace = text.IndexOf('{', StringComparison.Ordinal);
                var member = text.IndexOf(',', brace + 1);
                return brace < 0 || member < 0 ? input : Encoding.UTF8.GetBytes(string.Concat(text.AsSpan(0, member + 1), text.AsSpan(brace + 1, member - brace), text.AsSpan(member + 1)));
            case 3:
                return input[..random.Next(input.Length + 1)];
            default:
                return Encoding.UTF8.GetBytes(string.Concat(text, random.Pick(["\n", " ", "{}", "\0", ",", "x", "}"])));
        }
    }

    /// <summary>Mutations of the parsed document: values replaced by others of any type, members dropped, added or renamed, nesting.</summary>
    public static byte[] Structure(Random random, byte[] input, int count)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(input, documentOptions: new JsonDocumentOptions { MaxDepth = 1024 });
        }
        catch (JsonException)
        {
            return Bytes(random, input, count);
        }

        for (var i = 0; i < count; i++)
        {
            var nodes = new List<JsonNode?> { root };
            Collect(root, nodes);
            var target = random.Pick(nodes);
            var replacement = Value(random);
            if (target?.Parent is JsonObject parent)
            {
                var key = target.GetPropertyName();
                switch (random.Next(4))
                {
                    case 0:
                        parent.Remove(key);
                        break;
                    case 1:
                        parent.Remove(key);
                        parent[random.Chance(0.5) ? key.ToUpperInvariant() : random.Pick(Strings)] = replacement;
                        break;
                    default:
                        parent[key] = replacement;
                        break;
                }
            }
            else if (target?.Parent is JsonArray array)
            {
                array[array.IndexOf(target)] = replacement;
            }
            else if (target is JsonObject rootObject && random.Chance(0.5))
            {
                rootObject[random.Pick(Strings)] = replacement;
            }
            else
            {
                root = random.Chance(0.5) ? replacement : new JsonArray(root);
            }
        }

        return Encoding.UTF8.GetBytes(root?.ToJsonString(random.Chance(0.5) ? Relaxed : Escaped) ?? "null");
    }

    /// <summary>A JSON value of any kind, biased to the troublesome ones.</summary>
    public static JsonNode? Value(Random random) => random.Next(4) switch
    {
        0 => JsonNode.Parse(random.Pick(JsonNumbers)),
        1 => JsonValue.Create(random.Pick(Strings)),
        2 => JsonNode.Parse(random.Pick(JsonLiterals), documentOptions: new JsonDocumentOptions { MaxDepth = 1024 }),
        _ => JsonValue.Create(random.Next(-3, 70000)),
    };

    private static void Collect(JsonNode? node, List<JsonNode?> nodes)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    nodes.Add(child);
                    Collect(child, nodes);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    nodes.Add(child);
                    Collect(child, nodes);
                }

                break;
        }
    }

    private static string ReplaceRun(Random random, string text, Func<char, bool> member, string replacement)
    {
        var starts = Enumerable.Range(0, text.Length).Where(i => member(text[i]) && (i == 0 || !member(text[i - 1]))).ToList();
        if (starts.Count == 0)
        {
            return text;
        }

        var start = random.Pick(starts);
        var end = start;
        while (end < text.Length && member(text[end]))
        {
            end++;
        }

        return string.Concat(text.AsSpan(0, start), replacement, text.AsSpan(end));
    }
}
