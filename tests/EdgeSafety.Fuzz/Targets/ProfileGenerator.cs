using System.Text.Json;
using EdgeSafety.Devices;

namespace EdgeSafety.Fuzz.Targets;

/// <summary>Device profiles as a profile author might write them: the shipped files, and random register maps of every type and order.</summary>
public static class ProfileGenerator
{
    private static readonly JsonSerializerOptions FileFormat = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static IReadOnlyList<byte[]> Shipped { get; } =
        [.. Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "profiles"), "*.json").Order(StringComparer.Ordinal).Select(File.ReadAllBytes)];

    /// <summary>A valid profile: 1 to 12 values of random types, orders and scales at clustered addresses.</summary>
    public static byte[] Random(Random random)
    {
        var values = new List<ProfileValue>();
        var address = random.Chance(0.1) ? 65_530 : random.Next(200);
        for (var i = random.Next(1, 13); i > 0; i--)
        {
            var type = random.Pick(["int16", "uint16", "int32", "uint32", "float32"]);
            values.Add(new ProfileValue
            {
                Name = $"value_{values.Count}",
                Table = random.Pick(["holding", "input"]),
                Address = address,
                Type = type,
                WordOrder = random.Pick([null, "high-first", "low-first"]),
                ByteOrder = random.Pick([null, "big-endian", "swapped"]),
                Scale = random.Next(4) switch
                {
                    0 => null,
                    1 => random.Pick([1e300, -1e300, 1e-300, double.MaxValue, double.Epsilon, -1.0, 3.4e38]),
                    _ => random.Pick([0.1, 0.01, 0.001, 10.0, 1000.0]),
                },
                Unit = random.Pick(["V", "A", "W", "dB(A)", ""]),
            });
            address = Math.Min(65_534, address + (type is "int16" or "uint16" ? 1 : 2) + (random.Chance(0.7) ? 0 : random.Next(40)));
        }

        return JsonSerializer.SerializeToUtf8Bytes(new ProfileFile
        {
            Model = "fuzz-" + random.Next(1000),
            Kind = random.Pick(["meter", "noise"]),
            Description = "generated",
            MaxGapRegisters = random.Chance(0.5) ? null : random.Next(126),
            Values = values,
        }, FileFormat);
    }
}
