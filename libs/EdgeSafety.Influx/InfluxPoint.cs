namespace EdgeSafety.Influx;

/// <summary>
/// One point to write: a measurement, tags, at least one field and a timestamp (written with millisecond precision;
/// anything finer is truncated, so two points of one series within the same millisecond overwrite each other).
/// Tags and fields keep the caller's order; <see cref="LineProtocol"/> sorts the tags by key when it writes them.
/// </summary>
/// <remarks>
/// Everything the line protocol cannot carry is refused here, at the caller, rather than by the server for a whole
/// batch (or, worse, silently): empty names, line breaks in names and tag values, a trailing backslash (it would
/// escape the delimiter after it), a measurement starting with '#' (Influx skips such a line as a comment), the
/// reserved key "time", a key used twice, non-finite doubles and timestamps outside Influx's range (1677-2262).
/// </remarks>
public sealed class InfluxPoint
{
    // Influx keeps nanoseconds since 1970 in a signed 64-bit number (its bounds are reserved); we write milliseconds.
    private const long MinUnixMilliseconds = -9_223_372_036_854;
    private const long MaxUnixMilliseconds = 9_223_372_036_854;

    /// <summary>The earliest timestamp Influx stores (1677-09-21).</summary>
    public static readonly DateTimeOffset MinTimestamp = DateTimeOffset.FromUnixTimeMilliseconds(MinUnixMilliseconds);

    /// <summary>The latest timestamp Influx stores (2262-04-11), to the last tick of its millisecond.</summary>
    public static readonly DateTimeOffset MaxTimestamp =
        DateTimeOffset.FromUnixTimeMilliseconds(MaxUnixMilliseconds).AddTicks(TimeSpan.TicksPerMillisecond - 1);

    private readonly List<KeyValuePair<string, string>> _tags = [];
    private readonly List<KeyValuePair<string, InfluxFieldValue>> _fields;

    /// <summary>
    /// A 128-bit Bloom filter of the field keys (one bit per key, from its hash): a new key whose bit is clear is not on
    /// the point yet, so the list is searched only for the few keys whose bit is taken. A meter reading has 40 fields;
    /// comparing each with all before it cost more than formatting them.
    /// </summary>
    private ulong _fieldKeysLow;
    private ulong _fieldKeysHigh;

    public InfluxPoint(string measurement, DateTimeOffset timestamp)
        : this(measurement, timestamp, fieldCapacity: 4)
    {
    }

    /// <summary>A point that will get about <paramref name="fieldCapacity"/> fields (room made once, not grown field by field).</summary>
    public InfluxPoint(string measurement, DateTimeOffset timestamp, int fieldCapacity)
    {
        _fields = new(fieldCapacity);
        CheckName(measurement, nameof(measurement), "measurement");
        if (measurement[0] == '#')
        {
            throw new ArgumentException(
                $"The measurement \"{measurement}\" starts with '#': Influx would skip the line as a comment.", nameof(measurement));
        }

        if (timestamp < MinTimestamp || timestamp > MaxTimestamp)
        {
            throw new ArgumentOutOfRangeException(nameof(timestamp), timestamp,
                $"Influx stores timestamps from {MinTimestamp:O} to {MaxTimestamp:O}.");
        }

        Measurement = measurement;
        Timestamp = timestamp;
    }

    public string Measurement { get; }

    public DateTimeOffset Timestamp { get; }

    /// <summary>The tags in the caller's order (tags with an empty value were skipped).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Tags => _tags;

    internal IReadOnlyList<KeyValuePair<string, InfluxFieldValue>> Fields => _fields;

    /// <summary>Adds a tag; an empty value is skipped (Influx rejects empty tag values, a missing tag means the same).</summary>
    public InfluxPoint Tag(string key, string value)
    {
        CheckKey(key, nameof(key), "tag key");
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            return this;
        }

        CheckName(value, nameof(value), "tag value");
        if (HasKey(_tags, key))
        {
            throw new ArgumentException($"The tag \"{key}\" is already set on this point.", nameof(key));
        }

        _tags.Add(new(key, value));
        return this;
    }

    /// <summary>Adds a float field; NaN and infinities are refused (Influx cannot store them).</summary>
    public InfluxPoint Field(string key, double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"The field \"{key}\" is {value}: Influx stores only finite numbers.", nameof(value));
        }

        return AddField(key, new InfluxFieldValue(InfluxFieldKind.Float, value, 0, null));
    }

    /// <summary>
    /// Adds a float field written as <paramref name="text"/>, the decimal text <paramref name="value"/> was read from (a
    /// JSON number, as a payload carried it), instead of the double formatted again: InfluxDB parses the text to the same
    /// double (both round correctly to nearest), so the stored value is the same and the formatting is saved. The text
    /// must be in JSON number syntax (<c>-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?</c>, all of which line protocol
    /// reads as a float) and is not copied: it must stay unchanged until the point is written.
    /// </summary>
    public InfluxPoint Field(string key, double value, ReadOnlyMemory<byte> text)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"The field \"{key}\" is {value}: Influx stores only finite numbers.", nameof(value));
        }

        if (!LineProtocol.IsJsonNumber(text.Span))
        {
            throw new ArgumentException($"The text of the field \"{key}\" is not a JSON number.", nameof(text));
        }

        return AddField(key, new InfluxFieldValue(InfluxFieldKind.Float, value, 0, null) { FloatText = text });
    }

    /// <summary>Adds an integer field (written as 123i).</summary>
    public InfluxPoint Field(string key, long value) =>
        AddField(key, new InfluxFieldValue(InfluxFieldKind.Integer, 0, value, null));

    /// <summary>Adds a string field; any text is allowed, including quotes, backslashes and line breaks.</summary>
    public InfluxPoint Field(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return AddField(key, new InfluxFieldValue(InfluxFieldKind.String, 0, 0, value));
    }

    /// <summary>Adds a boolean field.</summary>
    public InfluxPoint Field(string key, bool value) =>
        AddField(key, new InfluxFieldValue(InfluxFieldKind.Boolean, 0, value ? 1 : 0, null));

    /// <summary>The point as one line of line protocol, without the line break.</summary>
    public override string ToString() => LineProtocol.Format(this);

    private InfluxPoint AddField(string key, InfluxFieldValue value)
    {
        CheckKey(key, nameof(key), "field key");
        // Bits 0-5 of the hash choose the bit (a shift takes only those), bit 6 the half.
        var hash = key.GetHashCode();
        var bit = 1UL << hash;
        ref var seen = ref (hash & 64) == 0 ? ref _fieldKeysLow : ref _fieldKeysHigh;
        if ((seen & bit) != 0 && HasKey(_fields, key))
        {
            throw new ArgumentException($"The field \"{key}\" is already set on this point.", nameof(key));
        }

        seen |= bit;
        _fields.Add(new(key, value));
        return this;
    }

    /// <summary>A plain loop: this runs for every field of every reading, where a predicate would allocate each time.</summary>
    private static bool HasKey<T>(List<KeyValuePair<string, T>> entries, string key)
    {
        foreach (var entry in entries)
        {
            if (string.Equals(entry.Key, key, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static void CheckKey(string key, string parameter, string what)
    {
        CheckName(key, parameter, what);
        if (key == "time")
        {
            throw new ArgumentException($"\"time\" is reserved by Influx and cannot be a {what}.", parameter);
        }
    }

    private static void CheckName(string text, string parameter, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(text, parameter);
        if (text.AsSpan().IndexOfAny('\n', '\r') >= 0)
        {
            throw new ArgumentException($"A {what} cannot contain a line break: \"{text}\".", parameter);
        }

        if (text[^1] == '\\')
        {
            throw new ArgumentException(
                $"A {what} cannot end with a backslash (the line protocol would read it as escaping the delimiter): \"{text}\".", parameter);
        }
    }
}

internal enum InfluxFieldKind
{
    Float,
    Integer,
    String,
    Boolean,
}

internal readonly record struct InfluxFieldValue(InfluxFieldKind Kind, double Float, long Integer, string? Text)
{
    /// <summary>For a float read from text: that text, written instead of the formatted double (empty: format it).</summary>
    public ReadOnlyMemory<byte> FloatText { get; init; }
}
