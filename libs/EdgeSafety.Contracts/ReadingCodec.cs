using System.Buffers;
using System.Text;
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

    /// <summary>This thread's buffer and writer, reset for every reading: a harmonic meter's payload is about 1 KB.</summary>
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_json;

    /// <summary>
    /// A reading's <c>ts</c> text as <see cref="Serialize"/> writes it, as UTF-8 into <paramref name="destination"/> (at
    /// least 24 bytes), for writers that build a payload's bytes themselves; returns the bytes written.
    /// </summary>
    public static int WriteTimestamp(Span<byte> destination, DateTimeOffset timestamp) => JsonPayload.WriteTimestamp(destination, timestamp);

    public static byte[] Serialize(Reading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(2048);
        buffer.ResetWrittenCount();
        var json = t_json ??= new Utf8JsonWriter(buffer);
        json.Reset(buffer);
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
        json.Flush();

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Validates a readings message as received: its topic, then its payload. Returns the reading, or the
    /// rejection with a detail fit for a log line.
    /// </summary>
    public static bool TryParse(string topic, ReadOnlySpan<byte> payload, DateTimeOffset now,
        out ReadingSource source, out Reading? reading, out Rejection? rejection) =>
        TryParse(topic, payload, now, null, out source, out reading, out rejection);

    /// <summary>
    /// As <see cref="TryParse(string, ReadOnlySpan{byte}, DateTimeOffset, out ReadingSource, out Reading?, out Rejection?)"/>,
    /// and fills <paramref name="numbers"/> (cleared first; complete only for an accepted reading) with each value as the
    /// payload wrote it, in document order: ingest copies the number's text into line protocol rather than format the
    /// double again.
    /// </summary>
    public static bool TryParse(string topic, ReadOnlySpan<byte> payload, DateTimeOffset now, List<ReadingNumber>? numbers,
        out ReadingSource source, out Reading? reading, out Rejection? rejection)
    {
        reading = null;
        numbers?.Clear();
        if (!Topics.TryParseReadings(topic, out source))
        {
            rejection = JsonPayload.UnknownTopic(topic, "readings");
            return false;
        }

        rejection = JsonPayload.CheckSize(payload, MaxPayloadBytes) ?? Validate(payload, source, now, numbers, out reading);
        return rejection is null;
    }

    /// <summary>The payload's members checked in the documented order, whatever their order in the payload.</summary>
    private static Rejection? Validate(ReadOnlySpan<byte> payload, ReadingSource source, DateTimeOffset now, List<ReadingNumber>? numbers,
        out Reading? reading)
    {
        reading = null;
        if (JsonPayload.NotUtf8(payload) is { } notUtf8)
        {
            return notUtf8;
        }

        ReadingPayload scanned;
        try
        {
            scanned = ReadingPayload.Read(payload, numbers);
        }
        catch (JsonException ex)
        {
            return new(RejectionReason.NotJson, ex.Message);
        }
        catch (InvalidOperationException)
        {
            // The reader accepts an escaped UTF-16 surrogate without its pair ("\ud800") and fails only when the
            // string is read, which the scan does for every escaped string and name.
            return new(RejectionReason.NotJson, "a string holds an escaped UTF-16 surrogate without its pair");
        }

        if (!scanned.IsObject)
        {
            return new(RejectionReason.WrongType, "the payload must be a JSON object");
        }

        if (!scanned.Version.IsPresent)
        {
            return JsonPayload.Missing("v");
        }

        if (!scanned.Version.TryGetInt64(out var version) || version != Version)
        {
            return JsonPayload.UnsupportedVersion(scanned.Version.RawText, Version);
        }

        if (RequireId(scanned.Device, "device", source.Device, out var device) is { } deviceError)
        {
            return deviceError;
        }

        if (device != source.Device)
        {
            return JsonPayload.DeviceMismatch(device, source);
        }

        if (RequireKind(scanned.Kind, out var kind) is { } kindError)
        {
            return kindError;
        }

        if (RequireId(scanned.Profile, "profile", null, out var profile) is { } profileError)
        {
            return profileError;
        }

        string? unit = null;
        if (scanned.Unit.IsPresent)
        {
            if (scanned.Unit.Token != JsonTokenType.String)
            {
                return new(RejectionReason.WrongType, "unit must be a string");
            }

            if (RequireId(scanned.Unit, "unit", null, out unit) is { } unitError)
            {
                return unitError;
            }
        }

        if (!scanned.Sequence.IsPresent)
        {
            return JsonPayload.Missing("seq");
        }

        if (!scanned.Sequence.TryGetInt64(out var sequence) || sequence < 0)
        {
            return JsonPayload.InvalidSequence;
        }

        if (RequireTimestamp(scanned.Timestamp, now, out var timestamp) is { } timestampError)
        {
            return timestampError;
        }

        if (!scanned.Values.IsPresent)
        {
            return JsonPayload.Missing("values");
        }

        if (scanned.Values.Token != JsonTokenType.StartObject)
        {
            return new(RejectionReason.WrongType, "values must be an object of numbers");
        }

        if (scanned.ValuesFault is { } valuesError)
        {
            return valuesError;
        }

        if (ReadingPayload.ValueCount == 0)
        {
            return new(RejectionReason.MissingField, "values is empty");
        }

        reading = new Reading(device, kind, profile, unit, sequence, timestamp, ReadingPayload.TakeValues());
        return null;
    }

    /// <summary>
    /// A string member that is a valid identifier: <paramref name="expected"/> itself when it matches (the topic's device),
    /// else one shared string per distinct value.
    /// </summary>
    private static Rejection? RequireId(JsonMember member, string name, string? expected, out string value)
    {
        value = string.Empty;
        if (!member.IsPresent)
        {
            return JsonPayload.Missing(name);
        }

        if (member.Token != JsonTokenType.String)
        {
            return JsonPayload.NotAString(name);
        }

        if (!member.TryGetPlainUtf8(out var utf8) || !Topics.IsValidId(utf8))
        {
            value = member.ToString();
            return Topics.IsValidId(value) ? null : JsonPayload.InvalidIdentifier(name, value);
        }

        value = expected is not null && Ascii.Equals(utf8, expected) ? expected : ReadingPayload.Intern(utf8);
        return null;
    }

    private static Rejection? RequireKind(JsonMember member, out DeviceKind kind)
    {
        kind = default;
        if (!member.IsPresent)
        {
            return JsonPayload.Missing("kind");
        }

        if (member.Token != JsonTokenType.String)
        {
            return JsonPayload.NotAString("kind");
        }

        if (member.TryGetPlainUtf8(out var utf8) && (utf8.SequenceEqual("meter"u8) || utf8.SequenceEqual("noise"u8)))
        {
            kind = utf8[0] == (byte)'m' ? DeviceKind.Meter : DeviceKind.Noise;
            return null;
        }

        var name = member.ToString();
        return TryParseKind(name, out kind) ? null
            : new(RejectionReason.InvalidValue, $"kind '{JsonPayload.Truncate(name)}' is not one of meter, noise");
    }

    /// <summary>Timestamps are short: read from the bytes on the stack, unless escaped or long enough to be refused anyway.</summary>
    private static Rejection? RequireTimestamp(JsonMember member, DateTimeOffset now, out DateTimeOffset timestamp)
    {
        timestamp = default;
        if (!member.IsPresent)
        {
            return JsonPayload.Missing("ts");
        }

        if (member.Token != JsonTokenType.String)
        {
            return JsonPayload.NotAString("ts");
        }

        if (member.TryGetPlainUtf8(out var utf8) && utf8.Length <= 64 && Ascii.IsValid(utf8))
        {
            Span<char> text = stackalloc char[utf8.Length];
            Ascii.ToUtf16(utf8, text, out _);
            return JsonPayload.CheckTimestamp(text, now, out timestamp);
        }

        return JsonPayload.CheckTimestamp(member.ToString(), now, out timestamp);
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
    public static bool IsValueName(string name) => IsValueName(name.AsSpan());

    /// <summary>The same rule on a name's UTF-8 bytes (any non-ASCII byte fails it, as a non-ASCII character does).</summary>
    internal static bool IsValueName(ReadOnlySpan<byte> name)
    {
        Span<char> chars = stackalloc char[64];
        return name.Length <= 64 && Ascii.ToUtf16(name, chars, out var written) == OperationStatus.Done && IsValueName(chars[..written]);
    }

    private static bool IsValueName(ReadOnlySpan<char> name) =>
        name.Length is >= 1 and <= 64 && char.IsAsciiLetterLower(name[0]) && !name.ContainsAnyExcept(ValueNameCharacters)
        && !name.SequenceEqual("seq") && !name.SequenceEqual("time");

    private static readonly SearchValues<char> ValueNameCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789_");
}
