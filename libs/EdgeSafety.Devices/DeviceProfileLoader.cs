using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeSafety.Contracts;
using EdgeSafety.Modbus;

namespace EdgeSafety.Devices;

/// <summary>A profile file that cannot be used; the message names the file and the field.</summary>
public sealed class DeviceProfileException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Loads device profiles (one JSON file per device model; schema in docs/device-profiles.md).</summary>
public static class DeviceProfileLoader
{
    private static readonly Dictionary<string, RegisterType> Types = new(StringComparer.Ordinal)
    {
        ["int16"] = RegisterType.Int16,
        ["uint16"] = RegisterType.UInt16,
        ["int32"] = RegisterType.Int32,
        ["uint32"] = RegisterType.UInt32,
        ["float32"] = RegisterType.Float32,
    };

    /// <summary>Every *.json in the folder, keyed by model name.</summary>
    public static IReadOnlyDictionary<string, DeviceProfile> LoadDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DeviceProfileException($"Profile directory '{directory}' does not exist.");
        }

        var profiles = new Dictionary<string, DeviceProfile>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            var profile = LoadFile(file);
            if (!profiles.TryAdd(profile.Model, profile))
            {
                throw new DeviceProfileException($"{file}: model '{profile.Model}' is defined by another file too.");
            }
        }

        return profiles;
    }

    public static DeviceProfile LoadFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Load(stream, path);
    }

    /// <summary>A profile from its file's content; <paramref name="source"/> names it in errors.</summary>
    public static DeviceProfile Load(Stream stream, string source)
    {
        ProfileFile? file;
        try
        {
            file = JsonSerializer.Deserialize(stream, ProfileJsonContext.Default.ProfileFile);
        }
        catch (JsonException ex)
        {
            throw new DeviceProfileException($"{source}: not a valid profile ({ex.Message})", ex);
        }

        return Parse(file ?? throw new DeviceProfileException($"{source}: empty profile."), source);
    }

    public static DeviceProfile Parse(ProfileFile file, string source)
    {
        string Fail(string field, string problem) => throw new DeviceProfileException($"{source}: {field} {problem}");

        if (!Topics.IsValidId(file.Model))
        {
            Fail("model", "must be an identifier (letters, digits, '-', '_')");
        }

        if (!ReadingCodec.TryParseKind(file.Kind ?? string.Empty, out var kind))
        {
            Fail("kind", "must be 'meter' or 'noise'");
        }

        if (file.MaxGapRegisters is < 0 or > ReadPlan.MaxRegistersPerRead)
        {
            Fail("maxGapRegisters", $"must be between 0 and {ReadPlan.MaxRegistersPerRead}");
        }

        if (file.Values is not { Count: > 0 })
        {
            Fail("values", "must list at least one value");
        }

        var values = new List<RegisterValue>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < file.Values!.Count; i++)
        {
            var at = $"values[{i}]";
            var entry = file.Values[i] ?? throw new DeviceProfileException($"{source}: {at} must be an object, not null");
            if (entry.Name is null || !ReadingCodec.IsValueName(entry.Name))
            {
                Fail($"{at}.name", "must be lower_snake_case and not seq or time (it becomes the reading's value name)");
            }

            if (!names.Add(entry.Name!))
            {
                Fail($"{at}.name", $"'{entry.Name}' appears twice");
            }

            var table = entry.Table switch
            {
                "holding" => RegisterTable.Holding,
                "input" => RegisterTable.Input,
                _ => (RegisterTable)(-1),
            };
            if (!Enum.IsDefined(table))
            {
                Fail($"{at}.table", "must be 'holding' or 'input'");
            }

            if (entry.Address is not (>= 0 and <= ushort.MaxValue))
            {
                Fail($"{at}.address", "must be a register address from 0 to 65535");
            }

            if (entry.Type is null || !Types.TryGetValue(entry.Type, out var type))
            {
                Fail($"{at}.type", "must be one of int16, uint16, int32, uint32, float32");
            }

            var wordOrder = entry.WordOrder switch
            {
                null or "high-first" => WordOrder.HighFirst,
                "low-first" => WordOrder.LowFirst,
                _ => (WordOrder)(-1),
            };
            if (!Enum.IsDefined(wordOrder))
            {
                Fail($"{at}.wordOrder", "must be 'high-first' or 'low-first'");
            }

            var byteOrder = entry.ByteOrder switch
            {
                null or "big-endian" => ByteOrder.BigEndian,
                "swapped" => ByteOrder.Swapped,
                _ => (ByteOrder)(-1),
            };
            if (!Enum.IsDefined(byteOrder))
            {
                Fail($"{at}.byteOrder", "must be 'big-endian' or 'swapped'");
            }

            var scale = entry.Scale ?? 1.0;
            if (!double.IsFinite(scale) || scale == 0)
            {
                Fail($"{at}.scale", "must be a finite, non-zero number");
            }

            var value = new RegisterValue(entry.Name!, table, (ushort)entry.Address!.Value, type, wordOrder, byteOrder, scale, entry.Unit ?? string.Empty);
            if (value.Address + value.RegisterCount > ushort.MaxValue + 1)
            {
                Fail($"{at}.address", "runs past register 65535");
            }

            values.Add(value);
        }

        return new DeviceProfile(file.Model!, kind, file.Description ?? string.Empty, file.MaxGapRegisters ?? 0, values);
    }
}

/// <summary>The profile file as written (docs/device-profiles.md); checked by <see cref="DeviceProfileLoader"/>.</summary>
public sealed class ProfileFile
{
    public string? Model { get; set; }

    public string? Kind { get; set; }

    public string? Description { get; set; }

    public int? MaxGapRegisters { get; set; }

    public List<ProfileValue>? Values { get; set; }
}

public sealed class ProfileValue
{
    public string? Name { get; set; }

    public string? Table { get; set; }

    public int? Address { get; set; }

    public string? Type { get; set; }

    public string? WordOrder { get; set; }

    public string? ByteOrder { get; set; }

    public double? Scale { get; set; }

    public string? Unit { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(ProfileFile))]
internal sealed partial class ProfileJsonContext : JsonSerializerContext;
