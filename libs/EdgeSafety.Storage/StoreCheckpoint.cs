using System.Buffers.Binary;

namespace EdgeSafety.Storage;

/// <summary>
/// The file "checkpoint": the first offset not yet removed (everything before it was acknowledged or dropped), and the
/// caller's state with the last offset appended when it was taken. Replaced atomically (write a temporary file, fsync,
/// rename over, fsync the folder), so after a power cut it is the old one or the new one, never a mix.
/// <code>
/// "ESCK" | version u32 = 1 | head i64 | state-covers-through i64 | state length i32 | state | CRC-32 of all before it
/// </code>
/// </summary>
internal sealed record StoreCheckpoint(long Head, long StateCoversThrough, byte[] State)
{
    public const string FileName = "checkpoint";
    private const uint Magic = 0x4B435345; // "ESCK" read as little-endian
    private const uint Version = 1;
    private const int FixedLength = 4 + 4 + 8 + 8 + 4;

    /// <summary>The saved checkpoint, or null when there is none; throws <see cref="InvalidDataException"/> for a damaged file.</summary>
    public static StoreCheckpoint? Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        File.Delete(AtomicFile.TemporaryPath(path));
        if (!File.Exists(path))
        {
            return null;
        }

        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < FixedLength + 4
            || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic
            || BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)) != Version)
        {
            throw new InvalidDataException($"{path} is not a version {Version} store checkpoint.");
        }

        var stateLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(24));
        if (stateLength < 0 || bytes.Length != FixedLength + stateLength + 4
            || BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(FixedLength + stateLength)) != Crc32.Compute(bytes.AsSpan(0, FixedLength + stateLength)))
        {
            throw new InvalidDataException($"{path} is damaged (length or CRC).");
        }

        return new StoreCheckpoint(
            BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8)),
            BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(16)),
            bytes.AsSpan(FixedLength, stateLength).ToArray());
    }

    public void Write(string directory)
    {
        var bytes = new byte[FixedLength + State.Length + 4];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], Version);
        BinaryPrimitives.WriteInt64LittleEndian(span[8..], Head);
        BinaryPrimitives.WriteInt64LittleEndian(span[16..], StateCoversThrough);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], State.Length);
        State.CopyTo(span[FixedLength..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(FixedLength + State.Length)..], Crc32.Compute(span[..(FixedLength + State.Length)]));

        AtomicFile.Replace(Path.Combine(directory, FileName), bytes);
    }
}
