using System.Buffers;
using System.Text.Json;

namespace EdgeSafety.Contracts;

/// <summary>Why a readings message was refused; each reason is counted on its own.</summary>
public enum RejectionReason
{
    UnknownTopic,
    TooLarge,
    NotJson,
    UnsupportedVersion,
    MissingField,
    WrongType,
    InvalidValue,
    TopicMismatch,
}

public sealed record Rejection(RejectionReason Reason, string Detail);

/// <summary>
/// Writes and reads the version-1 readings payload. The one place that knows the JSON shape, so publishers
/// and ingest cannot drift apart. Reading is strict: anything not exactly per docs/protocol.md is rejected with
/// a reason, never half-accepted.
/// </summary>
public static class ReadingCodec
{
    public const int Version = 1;

    /// <summary>Readings are a few hundred bytes; anything past this is refused before parsing.</summary>
    public const int MaxPayloadBytes = 64 * 1024;

    public const int MaxValues = 256;

    public static byte[] Serialize(Reading reading)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("v", Version);
            json.WriteString("device", reading.Device);
            json.WriteString("kind", KindName(reading.Kind));
            json.WriteString("profile", reading.Profile);
            if (reading.Unit is not null)
            {
                json.WriteString("unit", reading.Unit);
            }

            json.WriteNumber("seq", reading.Sequence);
            json.WriteString("ts", JsonPayload.FormatTimestamp(reading.Timestamp));
            json.WriteStartObject("values");
            foreach (var (name, value) in reading.Values)
            {
                json.WriteNumber(name, value);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Validates a readings message as received: its topic, then its payload. Returns the reading, or the
    /// rejection with a detail fit for a log line.
    /// </summary>
    public static bool TryParse(string topic, ReadOnlySpan<byte> payload, DateTimeOffset now,
        out ReadingSource source, out Reading? reading, out Rejection? rejection) =>
        JsonPayload.TryParse(topic, payload, now, Topics.TryParseReadings, "readings", MaxPayloadBytes, Validate,
            out source, out reading, out rejection);

    private static Rejection? Validate(JsonElement root, ReadingSource source, DateTimeOffset now, out Reading? reading)
    {
        reading = null;
        if (JsonPayload.RequireHeader(root, Version, source, out var device) is { } headerError)
        {
            return headerError;
        }

        if (JsonPayload.RequireString(root, "kind", out var kindName) is { } kindError)
        {
            return kindError;
        }

        if (!TryParseKind(kindName, out var kind))
        {
            return new(RejectionReason.InvalidValue, $"kind '{JsonPayload.Truncate(kindName)}' is not one of meter, noise");
        }

        if (JsonPayload.RequireString(root, "profile", out var profile) is { } profileError)
        {
            return profileError;
        }

        string? unit = null;
        if (root.TryGetProperty("unit", out var unitElement))
        {
            if (unitElement.ValueKind != JsonValueKind.String)
            {
                return new(RejectionReason.WrongType, "unit must be a string");
            }

            unit = unitElement.GetString();
            if (!Topics.IsValidId(unit))
            {
                return new(RejectionReason.InvalidValue, $"unit '{JsonPayload.Truncate(unit ?? string.Empty)}' is not a valid identifier");
            }
        }

        if (JsonPayload.RequireSequence(root, out var sequence) is { } sequenceError)
        {
            return sequenceError;
        }

        if (JsonPayload.RequireTimestamp(root, now, out var timestamp) is { } timestampError)
        {
            return timestampError;
        }

        if (!root.TryGetProperty("values", out var valuesElement))
        {
            return JsonPayload.Missing("values");
        }

        if (valuesElement.ValueKind != JsonValueKind.Object)
        {
            return new(RejectionReason.WrongType, "values must be an object of numbers");
        }

        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var property in valuesElement.EnumerateObject())
        {
            if (!IsValueName(property.Name))
            {
                return new(RejectionReason.InvalidValue, $"value name '{JsonPayload.Truncate(property.Name)}' is not lower_snake_case of at most 64 characters, or is seq or time");
            }

            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetDouble(out var number) || !double.IsFinite(number))
            {
                return new(RejectionReason.WrongType, $"values.{property.Name} must be a finite number");
            }

            if (!values.TryAdd(property.Name, number))
            {
                return new(RejectionReason.InvalidValue, $"values.{property.Name} appears twice");
            }

            if (values.Count > MaxValues)
            {
                return new(RejectionReason.TooLarge, $"more than {MaxValues} values");
            }
        }

        if (values.Count == 0)
        {
            return new(RejectionReason.MissingField, "values is empty");
        }

        reading = new Reading(device, kind, profile, unit, sequence, timestamp, values);
        return null;
    }

    public static string KindName(DeviceKind kind) => kind switch
    {
        DeviceKind.Meter => "meter",
        DeviceKind.Noise => "noise",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static bool TryParseKind(string name, out DeviceKind kind)
    {
        switch (name)
        {
            case "meter":
                kind = DeviceKind.Meter;
                return true;
            case "noise":
                kind = DeviceKind.Noise;
                return true;
            default:
                kind = default;
                return false;
        }
    }

    /// <summary>
    /// Value names become InfluxDB field names and CSV columns: lower_snake_case keeps them portable. "seq" and "time"
    /// are taken: ingest stores the sequence number as the field seq, and Influx reserves time; a reading with either
    /// would be accepted and then fail to store.
    /// </summary>
    public static bool IsValueName(string name) =>
        name.Length is >= 1 and <= 64 && char.IsAsciiLetterLower(name[0])
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_')
        && name is not ("seq" or "time");
}
