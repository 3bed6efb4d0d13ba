using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace EdgeSafety.Contracts;

/// <summary>
/// The readings payload read in one forward pass straight from its UTF-8 bytes (ingest's per-message cost: no document,
/// no string per value name). The pass only collects the members; <see cref="ReadingCodec"/> then checks them in the
/// documented order, so the reason a payload is refused does not depend on the order of its members, and malformed
/// JSON anywhere wins over any field's fault, exactly as when the whole document was parsed first.
/// </summary>
internal ref struct ReadingPayload
{
    /// <summary>Value names, profiles and units repeat across millions of readings: one string each, up to this many.</summary>
    private const int MaxInterned = 4096;

    private static readonly ConcurrentDictionary<string, string> Interned = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> InternedBySpan =
        Interned.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Reused by each thread's next payload; copied into the reading's own dictionary at the exact size.</summary>
    [ThreadStatic]
    private static Dictionary<string, double>? t_values;

    /// <summary>
    /// The value names of this thread's last payloads by position: one device kind writes the same names in the same
    /// order, so a name is usually its position's last one, found with one comparison instead of a lookup in the table.
    /// Only names that passed <see cref="ReadingCodec.IsValueName(ReadOnlySpan{byte})"/> are kept.
    /// </summary>
    [ThreadStatic]
    private static string?[]? t_namesByPosition;

    public bool IsObject;
    public JsonMember Version;
    public JsonMember Device;
    public JsonMember Kind;
    public JsonMember Profile;
    public JsonMember Unit;
    public JsonMember Sequence;
    public JsonMember Timestamp;
    public JsonMember Values;

    /// <summary>The first fault among the values, in document order (null when none).</summary>
    public Rejection? ValuesFault;

    /// <summary>
    /// Reads the whole payload; a <see cref="JsonException"/> (malformed JSON, trailing data, nesting deeper than the
    /// protocol's) is the caller's NotJson.
    /// </summary>
    /// <param name="payload">The payload's bytes.</param>
    /// <param name="numbers">When not null, receives each value's name, number and number text, in document order.</param>
    public static ReadingPayload Read(ReadOnlySpan<byte> payload, List<ReadingNumber>? numbers)
    {
        var scanned = default(ReadingPayload);
        var reader = new Utf8JsonReader(payload, JsonPayload.ReaderOptions);
        if (!reader.Read())
        {
            throw new JsonException("the payload is empty");
        }

        scanned.IsObject = reader.TokenType == JsonTokenType.StartObject;
        if (scanned.IsObject)
        {
            scanned.ReadMembers(ref reader, payload, numbers);
        }
        else
        {
            reader.Skip();
        }

        if (reader.Read())
        {
            throw new JsonException("trailing data after the JSON object");
        }

        return scanned;
    }

    /// <summary>The reading's values, in a dictionary of its own (the scratch one stays with the thread).</summary>
    public static Dictionary<string, double> TakeValues() => new(ScratchValues(), StringComparer.Ordinal);

    public static int ValueCount => ScratchValues().Count;

    /// <summary>One string per distinct identifier (a fresh one once the table is full, so hostile input cannot grow it).</summary>
    public static string Intern(ReadOnlySpan<byte> ascii)
    {
        Span<char> chars = stackalloc char[ascii.Length];
        System.Text.Ascii.ToUtf16(ascii, chars, out _);
        if (InternedBySpan.TryGetValue(chars, out var known))
        {
            return known;
        }

        var text = new string(chars);
        return Interned.Count < MaxInterned ? Interned.GetOrAdd(text, text) : text;
    }

    private static Dictionary<string, double> ScratchValues() => t_values ??= new Dictionary<string, double>(StringComparer.Ordinal);

    private void ReadMembers(ref Utf8JsonReader reader, ReadOnlySpan<byte> payload, List<ReadingNumber>? numbers)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // A member named twice: the last one counts, as JsonElement.TryGetProperty finds it.
            ref var member = ref Member(ref reader);
            if (Unsafe.IsNullRef(ref member))
            {
                reader.Read();
                reader.Skip();
                continue;
            }

            var isValues = reader.ValueTextEquals("values"u8);
            reader.Read();
            if (isValues && reader.TokenType == JsonTokenType.StartObject)
            {
                member = new JsonMember(JsonTokenType.StartObject, default, null);
                ReadValues(ref reader, numbers);
                continue;
            }

            member = JsonMember.Of(ref reader, payload);
        }
    }

    [UnscopedRef]
    private ref JsonMember Member(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("v"u8))
        {
            return ref Version;
        }

        if (reader.ValueTextEquals("device"u8))
        {
            return ref Device;
        }

        if (reader.ValueTextEquals("kind"u8))
        {
            return ref Kind;
        }

        if (reader.ValueTextEquals("profile"u8))
        {
            return ref Profile;
        }

        if (reader.ValueTextEquals("unit"u8))
        {
            return ref Unit;
        }

        if (reader.ValueTextEquals("seq"u8))
        {
            return ref Sequence;
        }

        if (reader.ValueTextEquals("ts"u8))
        {
            return ref Timestamp;
        }

        if (reader.ValueTextEquals("values"u8))
        {
            return ref Values;
        }

        return ref Unsafe.NullRef<JsonMember>();
    }

    /// <summary>Each value in document order: its name, then its number, then duplicates, then the count.</summary>
    private void ReadValues(ref Utf8JsonReader reader, List<ReadingNumber>? numbers)
    {
        var values = ScratchValues();
        values.Clear();
        numbers?.Clear();
        ValuesFault = null;
        var namesByPosition = t_namesByPosition ??= new string?[ReadingCodec.MaxValues];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = ValueName(ref reader, namesByPosition, values.Count, out var nameFault);
            reader.Read();
            if (ValuesFault is not null)
            {
                // The first fault is the one reported; the rest is only read to the end (malformed JSON still wins).
                reader.Skip();
                continue;
            }

            if (nameFault)
            {
                ValuesFault = new(RejectionReason.InvalidValue, $"value name '{JsonPayload.Truncate(name)}' is not lower_snake_case of at most 64 characters, or is seq or time");
            }
            else if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var number) || !double.IsFinite(number))
            {
                ValuesFault = new(RejectionReason.WrongType, $"values.{name} must be a finite number");
            }
            else if (!values.TryAdd(name, number))
            {
                ValuesFault = new(RejectionReason.InvalidValue, $"values.{name} appears twice");
            }
            else if (values.Count > ReadingCodec.MaxValues)
            {
                ValuesFault = new(RejectionReason.TooLarge, $"more than {ReadingCodec.MaxValues} values");
            }
            else
            {
                // A number's token is its text as written (JSON numbers have no escapes).
                var start = (int)reader.TokenStartIndex;
                numbers?.Add(new ReadingNumber(name, number, start..(start + reader.ValueSpan.Length)));
            }

            reader.Skip();
        }
    }

    /// <summary>
    /// The value's name (interned when it is a valid one, the same string as at this position last time when it is that
    /// one again); <paramref name="fault"/> when it is not valid.
    /// </summary>
    private static string ValueName(ref Utf8JsonReader reader, string?[] namesByPosition, int position, out bool fault)
    {
        fault = false;
        var recent = position < namesByPosition.Length ? namesByPosition[position] : null;
        if (!reader.ValueIsEscaped)
        {
            if (recent is not null && Ascii.Equals(reader.ValueSpan, recent))
            {
                return recent;
            }

            if (ReadingCodec.IsValueName(reader.ValueSpan))
            {
                var interned = Intern(reader.ValueSpan);
                if (position < namesByPosition.Length)
                {
                    namesByPosition[position] = interned;
                }

                return interned;
            }
        }

        var name = reader.GetString()!;
        fault = !ReadingCodec.IsValueName(name);
        return name;
    }
}

/// <summary>
/// A reading's value as its payload wrote it: the name, the number read from it, and where the number's text lies in
/// the payload (JSON number syntax, exactly as published).
/// </summary>
public readonly record struct ReadingNumber(string Name, double Value, Range Text);

/// <summary>One top-level member as read: its token (None when absent) and its text, kept as bytes until asked for.</summary>
internal readonly ref struct JsonMember(JsonTokenType token, ReadOnlySpan<byte> text, string? unescaped)
{
    /// <summary>A string's bytes without quotes (escaped strings are in <see cref="_unescaped"/>), a number's digits, or the raw JSON of anything else.</summary>
    private readonly ReadOnlySpan<byte> _text = text;
    private readonly string? _unescaped = unescaped;

    public JsonTokenType Token { get; } = token;

    public bool IsPresent => Token != JsonTokenType.None;

    /// <summary>A string's UTF-8 bytes, when it had no escapes (null: call <see cref="ToString"/>).</summary>
    public bool TryGetPlainUtf8(out ReadOnlySpan<byte> utf8)
    {
        utf8 = _text;
        return Token == JsonTokenType.String && _unescaped is null;
    }

    /// <summary>A number that is an integer (no fraction or exponent) and fits, as Utf8JsonReader.TryGetInt64 reads it.</summary>
    public bool TryGetInt64(out long value)
    {
        value = 0;
        return Token == JsonTokenType.Number && Utf8Parser.TryParse(_text, out value, out var consumed) && consumed == _text.Length;
    }

    /// <summary>The member's JSON, for a rejection detail.</summary>
    public string RawText => Token == JsonTokenType.String ? $"\"{ToString()}\"" : Encoding.UTF8.GetString(_text);

    public static JsonMember Of(scoped ref Utf8JsonReader reader, ReadOnlySpan<byte> payload)
    {
        var start = (int)reader.TokenStartIndex;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return new(JsonTokenType.String, reader.ValueSpan, reader.ValueIsEscaped ? reader.GetString() : null);
            case JsonTokenType.Number:
                return new(JsonTokenType.Number, reader.ValueSpan, null);
            default:
                var token = reader.TokenType;
                reader.Skip();
                return new(token, payload[start..(int)reader.BytesConsumed], null);
        }
    }

    /// <summary>A string member's text (for a rejection detail, or a value kept).</summary>
    public override string ToString() => _unescaped ?? Encoding.UTF8.GetString(_text);
}
