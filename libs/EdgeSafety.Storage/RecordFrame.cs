using System.Buffers.Binary;

namespace EdgeSafety.Storage;

/// <summary>
/// How one record lies in a segment file, little-endian:
/// <code>
/// [0..4)   CRC-32 of bytes 4 to the end of the frame (header fields and data)
/// [4..8)   data length in bytes
/// [8..16)  the record's offset
/// [16..24) when it was appended, Unix milliseconds
/// [24..)   data
/// </code>
/// The offset in every frame is what makes a torn or misplaced frame detectable even when its CRC happens to fit:
/// a frame is taken only at the position where the offset before it ends, and only with the offset expected there.
/// </summary>
internal static class RecordFrame
{
    public const int HeaderLength = 24;

    /// <summary>Writes the frame into <paramref name="frame"/> (exactly <see cref="HeaderLength"/> + the data's length).</summary>
    public static void Encode(long offset, long appendedAtMs, ReadOnlySpan<byte> data, Span<byte> frame)
    {
        var span = frame[..(HeaderLength + data.Length)];
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], data.Length);
        BinaryPrimitives.WriteInt64LittleEndian(span[8..], offset);
        BinaryPrimitives.WriteInt64LittleEndian(span[16..], appendedAtMs);
        data.CopyTo(span[HeaderLength..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span, Crc32.Compute(span[4..]));
    }

    public static FrameHeader ReadHeader(ReadOnlySpan<byte> header) => new(
        BinaryPrimitives.ReadUInt32LittleEndian(header),
        BinaryPrimitives.ReadInt32LittleEndian(header[4..]),
        BinaryPrimitives.ReadInt64LittleEndian(header[8..]),
        BinaryPrimitives.ReadInt64LittleEndian(header[16..]));

    /// <summary>True when the CRC in the header matches the header fields and the data.</summary>
    public static bool IsIntact(ReadOnlySpan<byte> header, ReadOnlySpan<byte> data) =>
        BinaryPrimitives.ReadUInt32LittleEndian(header) == Crc32.Compute(header[4..HeaderLength], data);
}

internal readonly record struct FrameHeader(uint Crc, int Length, long Offset, long AppendedAtMs)
{
    public long FrameLength => RecordFrame.HeaderLength + (long)Length;
}
