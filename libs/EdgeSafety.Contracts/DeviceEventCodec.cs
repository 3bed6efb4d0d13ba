using System.Buffers;
using System.Text.Json;

namespace EdgeSafety.Contracts;

/// <summary>What happened to a device, as the edge agent saw it.</summary>
public enum DeviceEventKind
{
    /// <summary>The device stopped answering (every retry of a poll failed).</summary>
    Offline,

    /// <summary>The device answers again.</summary>
    Online,

    /// <summary>A meter reports no voltage where it had voltage: unplugged from its circuit, or tampered with.</summary>
    Tampered,

    /// <summary>The meter's voltage is back.</summary>
    Restored,
}

/// <summary>
/// One device event: the payload of an events message (docs/protocol.md, version 1). <see cref="Detail"/> holds a few
/// named facts (the error, the voltage), each a string or a finite number (double).
/// </summary>
public sealed record DeviceEvent(
    string Device,
    DeviceEventKind Event,
    long Sequence,
    DateTimeOffset Timestamp,
    IReadOnlyDictionary<string, object> Detail);

/// <summary>
/// Writes and reads the version-1 device events payload, as strictly as <see cref="ReadingCodec"/> reads readings and
/// with the same rejection reasons: anything not exactly per docs/protocol.md is refused, never half-accepted.
/// </summary>
public static class DeviceEventCodec
{
    public const int Version = 1;

    /// <summary>Events are a few hundred bytes; anything past this is refused before parsing.</summary>
    public const int MaxPayloadBytes = 4 * 1024;

    public const int MaxDetails = 16;

    /// <summary>A detail string longer than this is refused (a publisher shortens an error message first).</summary>
    public const int MaxDetailLength = 256;

    public static byte[] Serialize(DeviceEvent deviceEvent)
    {
        ArgumentNullException.ThrowIfNull(deviceEvent);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("v", Version);
            json.WriteString("device", deviceEvent.Device);
            json.WriteString("event", EventName(deviceEvent.Event));
            json.WriteNumber("seq", deviceEvent.Sequence);
            json.WriteString("ts", JsonPayload.FormatTimestamp(deviceEvent.Timestamp));
            json.WriteStartObject("detail");
            foreach (var (name, value) in deviceEvent.Detail)
            {
                switch (value)
                {
                    case string text:
                        json.WriteString(name, text.Length <= MaxDetailLength ? text : text[..MaxDetailLength]);
                        break;
                    case double number when double.IsFinite(number):
                        json.WriteNumber(name, number);
                        break;
                    default:
                        throw new ArgumentException($"Detail '{name}' must be a string or a finite double.", nameof(deviceEvent));
                }
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Validates an events message as received: its topic, then its payload.</summary>
    public static bool TryParse(string topic, ReadOnlySpan<byte> payload, DateTimeOffset now,
        out ReadingSource source, out DeviceEvent? deviceEvent, out Rejection? rejection) =>
        JsonPayload.TryParse(topic, payload, now, Topics.TryParseEvents, "device events", MaxPayloadBytes, Validate,
            out source, out deviceEvent, out rejection);

    public static string EventName(DeviceEventKind kind) => kind switch
    {
        DeviceEventKind.Offline => "offline",
        DeviceEventKind.Online => "online",
        DeviceEventKind.Tampered => "tampered",
        DeviceEventKind.Restored => "restored",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static Rejection? Validate(JsonElement root, ReadingSource source, DateTimeOffset now, out DeviceEvent? deviceEvent)
    {
        deviceEvent = null;
        if (JsonPayload.RequireHeader(root, Version, source, out var device) is { } headerError)
        {
            return headerError;
        }

        if (JsonPayload.RequireString(root, "event", out var eventName, validateId: false) is { } eventError)
        {
            return eventError;
        }

        var kinds = Enum.GetValues<DeviceEventKind>().Where(k => EventName(k) == eventName).ToList();
        if (kinds.Count == 0)
        {
            return new(RejectionReason.InvalidValue, $"event '{JsonPayload.Truncate(eventName)}' is not one of offline, online, tampered, restored");
        }

        if (JsonPayload.RequireSequence(root, out var sequence) is { } sequenceError)
        {
            return sequenceError;
        }

        if (JsonPayload.RequireTimestamp(root, now, out var timestamp) is { } timestampError)
        {
            return timestampError;
        }

        if (!root.TryGetProperty("detail", out var detailElement))
        {
            return JsonPayload.Missing("detail");
        }

        if (detailElement.ValueKind != JsonValueKind.Object)
        {
            return new(RejectionReason.WrongType, "detail must be an object of strings and numbers");
        }

        var detail = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var property in detailElement.EnumerateObject())
        {
            if (!ReadingCodec.IsValueName(property.Name))
            {
                return new(RejectionReason.InvalidValue, $"detail name '{JsonPayload.Truncate(property.Name)}' is not lower_snake_case of at most 64 characters");
            }

            object value;
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.String when property.Value.GetString()!.Length <= MaxDetailLength:
                    value = property.Value.GetString()!;
                    break;
                case JsonValueKind.String:
                    return new(RejectionReason.TooLarge, $"detail.{property.Name} is longer than {MaxDetailLength} characters");
                case JsonValueKind.Number when property.Value.TryGetDouble(out var number) && double.IsFinite(number):
                    value = number;
                    break;
                default:
                    return new(RejectionReason.WrongType, $"detail.{property.Name} must be a string or a finite number");
            }

            if (!detail.TryAdd(property.Name, value))
            {
                return new(RejectionReason.InvalidValue, $"detail.{property.Name} appears twice");
            }

            if (detail.Count > MaxDetails)
            {
                return new(RejectionReason.TooLarge, $"more than {MaxDetails} details");
            }
        }

        deviceEvent = new DeviceEvent(device, kinds[0], sequence, timestamp, detail);
        return null;
    }
}
