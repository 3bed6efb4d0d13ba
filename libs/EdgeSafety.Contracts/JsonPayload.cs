using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;

namespace EdgeSafety.Contracts;

/// <summary>
/// The rules every version-1 device payload (readings, device events) shares, in one place so the codecs check them
/// identically: size, one JSON object, <c>v</c>, <c>device</c> matching the topic, <c>seq</c> and <c>ts</c>.
/// </summary>
internal static class JsonPayload
{
    private static readonly DateTimeOffset EarliestTimestamp = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Gateway clocks drift; a message more than this ahead of the receiver's clock is refused.</summary>
    private static readonly TimeSpan MaxClockAhead = TimeSpan.FromDays(1);

    /// <summary>Device payloads nest at most values in an object: anything deeper is refused as not our JSON.</summary>
    public static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 4 };

    public delegate bool TopicParser(string topic, out ReadingSource source);

    public delegate Rejection? Validator<T>(JsonElement root, ReadingSource source, DateTimeOffset now, out T? message)
        where T : class;

    /// <summary>
    /// A device message as received: its topic (what <paramref name="parseTopic"/> accepts, named <paramref name="kind"/>
    /// in the rejection), then its payload as one JSON object of at most <paramref name="maxBytes"/>, then its fields.
    /// </summary>
    public static bool TryParse<T>(string topic, ReadOnlySpan<byte> payload, DateTimeOffset now, TopicParser parseTopic, string kind,
        int maxBytes, Validator<T> validate, out ReadingSource source, out T? message, out Rejection? rejection)
        where T : class
    {
        message = null;
        if (!parseTopic(topic, out source))
        {
            rejection = UnknownTopic(topic, kind);
            return false;
        }

        if (Parse(payload, maxBytes, out var document) is { } unreadable)
        {
            rejection = unreadable;
            return false;
        }

        using (document)
        {
            rejection = validate(document!.RootElement, source, now, out message);
            return rejection is null;
        }
    }

    /// <summary>The payload as one JSON document (the caller disposes it), or why not.</summary>
    public static Rejection? Parse(ReadOnlySpan<byte> payload, int maxBytes, out JsonDocument? document)
    {
        document = null;
        if (CheckSize(payload, maxBytes) is { } tooLarge)
        {
            return tooLarge;
        }

        if (NotUtf8(payload) is { } notUtf8)
        {
            return notUtf8;
        }

        try
        {
            var reader = new Utf8JsonReader(payload, ReaderOptions);
            var parsed = JsonDocument.ParseValue(ref reader);
            if (reader.Read())
            {
                parsed.Dispose();
                return new(RejectionReason.NotJson, "trailing data after the JSON object");
            }

            if (LoneSurrogate(parsed.RootElement) is { } unreadable)
            {
                parsed.Dispose();
                return unreadable;
            }

            document = parsed;
            return null;
        }
        catch (JsonException ex)
        {
            return new(RejectionReason.NotJson, ex.Message);
        }
    }

    /// <summary>
    /// The reader accepts an escaped UTF-16 surrogate without its pair ("\ud800") and fails only when the string is read:
    /// every string and member name is read here once, so that the validators after this never meet one.
    /// </summary>
    public static Rejection? LoneSurrogate(JsonElement element)
    {
        try
        {
            ReadStrings(element);
            return null;
        }
        catch (InvalidOperationException)
        {
            return new(RejectionReason.NotJson, "a string holds an escaped UTF-16 surrogate without its pair");
        }

        static void ReadStrings(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    _ = element.GetString();
                    break;
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        _ = property.Name;
                        ReadStrings(property.Value);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        ReadStrings(item);
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// JSON must be UTF-8, but the reader checks a string's bytes only when the string is read: a payload with invalid
    /// UTF-8 inside a string would pass parsing and then fail with an exception where its string is read.
    /// </summary>
    public static Rejection? NotUtf8(ReadOnlySpan<byte> payload) =>
        Utf8.IsValid(payload) ? null : new(RejectionReason.NotJson, "the payload is not valid UTF-8");

    public static Rejection UnknownTopic(string topic, string kind) => new(RejectionReason.UnknownTopic, $"'{Truncate(topic)}' is not a {kind} topic");

    public static Rejection? CheckSize(ReadOnlySpan<byte> payload, int maxBytes) =>
        payload.Length > maxBytes ? new(RejectionReason.TooLarge, $"{payload.Length} bytes, limit {maxBytes}") : null;

    /// <summary>An object with <c>v</c> equal to <paramref name="version"/> and <c>device</c> equal to the topic's device.</summary>
    public static Rejection? RequireHeader(JsonElement root, int version, ReadingSource source, out string device)
    {
        device = string.Empty;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return new(RejectionReason.WrongType, "the payload must be a JSON object");
        }

        if (!root.TryGetProperty("v", out var versionElement))
        {
            return Missing("v");
        }

        if (versionElement.ValueKind != JsonValueKind.Number || !versionElement.TryGetInt32(out var v) || v != version)
        {
            return UnsupportedVersion(versionElement.GetRawText(), version);
        }

        if (RequireString(root, "device", out device) is { } deviceError)
        {
            return deviceError;
        }

        return device != source.Device ? DeviceMismatch(device, source) : null;
    }

    public static Rejection UnsupportedVersion(string rawValue, int version) =>
        new(RejectionReason.UnsupportedVersion, $"v is {Truncate(rawValue)}, this receiver reads {version}");

    public static Rejection DeviceMismatch(string device, ReadingSource source) =>
        new(RejectionReason.TopicMismatch, $"device '{Truncate(device)}' published on the topic of '{source.Device}'");

    public static Rejection? RequireSequence(JsonElement root, out long sequence)
    {
        sequence = 0;
        if (!root.TryGetProperty("seq", out var element))
        {
            return Missing("seq");
        }

        return element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out sequence) || sequence < 0
            ? InvalidSequence
            : null;
    }

    public static readonly Rejection InvalidSequence = new(RejectionReason.WrongType, "seq must be a non-negative integer");

    public static Rejection? RequireTimestamp(JsonElement root, DateTimeOffset now, out DateTimeOffset timestamp)
    {
        timestamp = default;
        return RequireString(root, "ts", out var text, validateId: false) ?? CheckTimestamp(text, now, out timestamp);
    }

    /// <summary>An ISO-8601 time (with its 'T') from 2000 to one day ahead of <paramref name="now"/>.</summary>
    public static Rejection? CheckTimestamp(ReadOnlySpan<char> text, DateTimeOffset now, out DateTimeOffset timestamp)
    {
        if (!TryParsePublished(text, out timestamp)
            && (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out timestamp) || !text.Contains('T')))
        {
            return new(RejectionReason.InvalidValue, $"ts '{Truncate(text.ToString())}' is not an ISO-8601 time");
        }

        return timestamp < EarliestTimestamp || timestamp > now + MaxClockAhead
            ? new(RejectionReason.InvalidValue, $"ts {Truncate(text.ToString())} is outside the accepted range (2000 to one day ahead of {now:u})")
            : null;
    }

    /// <summary>
    /// How publishers write <c>ts</c>: UTC with milliseconds, "yyyy-MM-ddTHH:mm:ss.fffZ" (digit by digit: a custom
    /// format string is parsed again on every call, and every reading has a timestamp).
    /// </summary>
    public static string FormatTimestamp(DateTimeOffset timestamp) =>
        string.Create(PublishedTimestampLength, timestamp, static (text, at) =>
        {
            Span<byte> utf8 = stackalloc byte[PublishedTimestampLength];
            WriteTimestamp(utf8, at);
            for (var i = 0; i < utf8.Length; i++)
            {
                text[i] = (char)utf8[i];
            }
        });

    /// <summary>
    /// <see cref="FormatTimestamp"/>'s text as UTF-8 into <paramref name="destination"/> (for writers that build a
    /// payload's bytes themselves, such as the load generator's templates); returns the bytes written.
    /// </summary>
    public static int WriteTimestamp(Span<byte> destination, DateTimeOffset timestamp)
    {
        var utc = timestamp.UtcDateTime;
        Digits(destination[..4], utc.Year);
        destination[4] = (byte)'-';
        Digits(destination[5..7], utc.Month);
        destination[7] = (byte)'-';
        Digits(destination[8..10], utc.Day);
        destination[10] = (byte)'T';
        Digits(destination[11..13], utc.Hour);
        destination[13] = (byte)':';
        Digits(destination[14..16], utc.Minute);
        destination[16] = (byte)':';
        Digits(destination[17..19], utc.Second);
        destination[19] = (byte)'.';
        Digits(destination[20..23], utc.Millisecond);
        destination[23] = (byte)'Z';
        return PublishedTimestampLength;
    }

    private const int PublishedTimestampLength = 24;

    private static void Digits(Span<byte> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--, value /= 10)
        {
            destination[i] = (byte)('0' + (value % 10));
        }
    }

    /// <summary>
    /// The shape <see cref="FormatTimestamp"/> writes, read field by field: the general parser cost about as much as the
    /// rest of a noise reading's validation. It gives the same time the general parser does, and leaves any other text,
    /// or a date that does not exist, to it.
    /// </summary>
    private static bool TryParsePublished(ReadOnlySpan<char> text, out DateTimeOffset timestamp)
    {
        timestamp = default;
        if (text.Length != PublishedTimestampLength || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':'
            || text[16] != ':' || text[19] != '.' || text[23] != 'Z'
            || !Number(text[..4], out var year) || !Number(text[5..7], out var month) || !Number(text[8..10], out var day)
            || !Number(text[11..13], out var hour) || !Number(text[14..16], out var minute) || !Number(text[17..19], out var second)
            || !Number(text[20..23], out var millisecond)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        timestamp = new DateTimeOffset(year, month, day, hour, minute, second, millisecond, TimeSpan.Zero);
        return true;

        static bool Number(ReadOnlySpan<char> digits, out int value) =>
            int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    public static Rejection? RequireString(JsonElement root, string name, out string value, bool validateId = true)
    {
        value = string.Empty;
        if (!root.TryGetProperty(name, out var element))
        {
            return Missing(name);
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return NotAString(name);
        }

        value = element.GetString()!;
        return validateId && !Topics.IsValidId(value) ? InvalidIdentifier(name, value) : null;
    }

    public static Rejection NotAString(string name) => new(RejectionReason.WrongType, $"{name} must be a string");

    public static Rejection InvalidIdentifier(string name, string value) =>
        new(RejectionReason.InvalidValue, $"{name} '{Truncate(value)}' is not a valid identifier");

    public static Rejection Missing(string name) => new(RejectionReason.MissingField, $"{name} is missing");

    /// <summary>Rejection details go to logs: never echo an attacker's megabyte back.</summary>
    public static string Truncate(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 80), "…");
}
