using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using EdgeSafety.Contracts;

namespace EdgeSafety.LoadGenerator;

/// <summary>
/// One device's readings payload with its fixed parts (device, kind, profile, unit, value names) encoded once, so that
/// a reading costs only its sequence number, timestamp and values: the same bytes as <see cref="ReadingCodec.Serialize"/>
/// writes for the same reading (tests compare them byte for byte), without the reading, its dictionary or the JSON
/// writer. The load generator spent most of its own code formatting doubles the general way.
/// </summary>
public sealed class PayloadTemplate
{
    /// <summary>A number as the JSON writer writes a double: at most this many bytes ("-1.7976931348623157E+308").</summary>
    private const int MaxNumberBytes = 32;

    /// <summary>",\"ts\":\"" + 24 bytes of timestamp + "\",\"values\":{" + "}}" and the sequence number.</summary>
    private const int FixedTailBytes = 64;

    /// <summary>Powers of ten for the decimals a value may be written with exactly (the generator rounds to 1 to 3).</summary>
    private static readonly double[] Scales = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];

    private static readonly byte[] Timestamp = ",\"ts\":\""u8.ToArray();
    private static readonly byte[] Values = "\",\"values\":{"u8.ToArray();

    private readonly byte[] _head;
    private readonly byte[][] _names;
    private readonly int _maxBytes;

    /// <summary>A template for one device's readings; <paramref name="names"/> are its value names in payload order.</summary>
    public PayloadTemplate(string device, DeviceKind kind, string profile, string? unit, IReadOnlyList<string> names)
    {
        var head = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(head))
        {
            // The members before "seq", in ReadingCodec.Serialize's order.
            json.WriteStartObject();
            json.WriteNumber("v", ReadingCodec.Version);
            json.WriteString("device", device);
            json.WriteString("kind", ReadingCodec.KindName(kind));
            json.WriteString("profile", profile);
            if (unit is not null)
            {
                json.WriteString("unit", unit);
            }
        }

        _head = [.. head.WrittenSpan, .. ",\"seq\":"u8];
        _names = [.. names.Select((name, i) => (byte[])[.. i == 0 ? ""u8 : ","u8, (byte)'"', .. JsonEncodedText.Encode(name).EncodedUtf8Bytes, .. "\":"u8])];
        _maxBytes = _head.Length + FixedTailBytes + _names.Sum(n => n.Length + MaxNumberBytes);
    }

    /// <summary>The number of values a reading must have.</summary>
    public int ValueCount => _names.Length;

    /// <summary>Writes a reading's payload: <paramref name="values"/> in the order of the names given at construction.</summary>
    public void Write(IBufferWriter<byte> payload, long sequence, DateTimeOffset timestamp, ReadOnlySpan<double> values)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentOutOfRangeException.ThrowIfNotEqual(values.Length, _names.Length, nameof(values));
        var span = payload.GetSpan(_maxBytes);
        _head.CopyTo(span);
        var at = _head.Length;
        Utf8Formatter.TryFormat(sequence, span[at..], out var written);
        at += written;
        Timestamp.CopyTo(span[at..]);
        at += Timestamp.Length;
        at += ReadingCodec.WriteTimestamp(span[at..], timestamp);
        Values.CopyTo(span[at..]);
        at += Values.Length;
        for (var i = 0; i < values.Length; i++)
        {
            _names[i].CopyTo(span[at..]);
            at += _names[i].Length;
            at += WriteNumber(span[at..], values[i]);
        }

        span[at++] = (byte)'}';
        span[at++] = (byte)'}';
        payload.Advance(at);
    }

    /// <summary>
    /// A double as the JSON writer writes it (the shortest text that reads back as the same double). A value that is
    /// exactly some integer k divided by 10^d (what Math.Round(x, d) returns) is written as k with d decimals, for the
    /// smallest such d: with at most 15 significant digits no other decimal of as few digits reads back as the same
    /// double, so that is the shortest text. Anything else goes to the general formatter.
    /// </summary>
    internal static int WriteNumber(Span<byte> destination, double value)
    {
        for (var decimals = 0; decimals < Scales.Length; decimals++)
        {
            var scaled = Math.Round(value * Scales[decimals]);
            if (Math.Abs(scaled) < 1e15 && scaled / Scales[decimals] == value && Math.Abs(value) >= 1e-4)
            {
                return WriteFixed(destination, (long)Math.Abs(scaled), decimals, negative: value < 0);
            }

            if (value == 0)
            {
                // "0", or "-0" as the general formatter writes negative zero.
                break;
            }
        }

        value.TryFormat(destination, out var written, default, CultureInfo.InvariantCulture);
        return written;
    }

    private static int WriteFixed(Span<byte> destination, long digits, int decimals, bool negative)
    {
        var at = 0;
        if (negative)
        {
            destination[at++] = (byte)'-';
        }

        var scale = (long)Scales[decimals];
        Utf8Formatter.TryFormat(digits / scale, destination[at..], out var written);
        at += written;
        if (decimals > 0)
        {
            destination[at++] = (byte)'.';
            Utf8Formatter.TryFormat(digits % scale, destination[at..], out written, new StandardFormat('D', (byte)decimals));
            at += written;
        }

        return at;
    }
}
