using System.Buffers;
using System.Globalization;
using EdgeSafety.Storage.Native;
using Microsoft.Win32.SafeHandles;

namespace EdgeSafety.Storage;

/// <summary>
/// One segment file, named by the offset of its first record ("00000000000000004096.seg"), holding consecutive
/// records as <see cref="RecordFrame"/>s. Only the newest segment is appended to. Positions of a few records are kept
/// in memory (one every 64 KiB) so that a record is found by reading at most 64 KiB of frame headers, without an
/// index file and without holding every position.
/// </summary>
internal sealed class Segment : IDisposable
{
    public const string Extension = ".seg";
    private const long IndexSpacing = 64 * 1024;

    /// <summary>What a run of records is read in at a time: a writer's batch of 5,000 one-kilobyte points in about 20 reads.</summary>
    private const int ReadChunkBytes = 256 * 1024;

    private readonly SafeFileHandle _handle;

    /// <summary>(offset, position of its frame), ascending; the first is the segment's first record.</summary>
    private readonly List<(long Offset, long Position)> _index;
    private long? _firstAppendedAtMs;

    private Segment(string path, long baseOffset, SafeFileHandle handle, long length, long endOffset)
    {
        Path = path;
        BaseOffset = baseOffset;
        _handle = handle;
        Length = length;
        EndOffset = endOffset;
        _index = [(baseOffset, 0)];
    }

    public string Path { get; }

    public long BaseOffset { get; }

    /// <summary>One past the offset of its last record.</summary>
    public long EndOffset { get; private set; }

    /// <summary>Bytes in use (the file may be longer only while an append is being written).</summary>
    public long Length { get; private set; }

    /// <summary>When its last record was appended, if known (not for an older segment found at open).</summary>
    public long? LastAppendedAtMs { get; private set; }

    /// <summary>Where a damaged frame was found: records from it to <see cref="EndOffset"/> cannot be read.</summary>
    public long? CorruptFrom { get; private set; }

    public static bool TryParseBaseOffset(string path, out long baseOffset) =>
        long.TryParse(System.IO.Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out baseOffset);

    /// <summary>A new, empty segment whose first record will have the offset given.</summary>
    public static Segment Create(string directory, long baseOffset)
    {
        var path = System.IO.Path.Combine(directory, baseOffset.ToString("D20", CultureInfo.InvariantCulture) + Extension);
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        LibC.FsyncDirectory(directory);
        return new Segment(path, baseOffset, handle, 0, baseOffset);
    }

    /// <summary>An older segment, not written to again; its records end where the next segment's begin.</summary>
    public static Segment OpenSealed(string path, long baseOffset, long endOffset)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        return new Segment(path, baseOffset, handle, RandomAccess.GetLength(handle), endOffset);
    }

    /// <summary>
    /// The newest segment after a stop or a crash: every frame is checked in order (position, offset, CRC) and the file
    /// is cut at the first one that fails, which is where a write was torn by a power cut. Returns the bytes cut.
    /// </summary>
    public static Segment Recover(string path, long baseOffset, out long bytesCut)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        var fileLength = RandomAccess.GetLength(handle);
        var segment = new Segment(path, baseOffset, handle, fileLength, baseOffset);
        long position = 0;
        var offset = baseOffset;
        while (segment.TryRead(position, offset, out var record, out var frameLength))
        {
            segment._firstAppendedAtMs ??= record.AppendedAt.ToUnixTimeMilliseconds();
            segment.LastAppendedAtMs = record.AppendedAt.ToUnixTimeMilliseconds();
            position += frameLength;
            offset++;
            segment.NoteFrameStart(offset, position);
        }

        bytesCut = fileLength - position;
        if (bytesCut > 0)
        {
            RandomAccess.SetLength(handle, position);
            RandomAccess.FlushToDisk(handle);
        }

        segment.Length = position;
        segment.EndOffset = offset;
        return segment;
    }

    /// <summary>Writes a frame after the last one (to the page cache; <see cref="Flush"/> makes it durable).</summary>
    public void Append(ReadOnlySpan<byte> frame, long appendedAtMs)
    {
        RandomAccess.Write(_handle, frame, Length);
        _firstAppendedAtMs ??= appendedAtMs;
        LastAppendedAtMs = appendedAtMs;
        Length += frame.Length;
        EndOffset++;
        NoteFrameStart(EndOffset, Length);
    }

    public void Flush() => RandomAccess.FlushToDisk(_handle);

    /// <summary>When its first record was appended; null while empty or if that frame is damaged.</summary>
    public long? FirstAppendedAtMs()
    {
        if (_firstAppendedAtMs is null && EndOffset > BaseOffset && TryReadHeader(0, BaseOffset, out var header))
        {
            _firstAppendedAtMs = header.AppendedAtMs;
        }

        return _firstAppendedAtMs;
    }

    /// <summary>
    /// The position of a record's frame, found by walking frame headers from the nearest known position. False, with the
    /// offset where the walk broke off, when a header on the way is damaged.
    /// </summary>
    public bool TryLocate(long offset, out long position, out long brokenAt)
    {
        var start = _index.FindLastIndex(entry => entry.Offset <= offset);
        (var current, position) = _index[start];
        while (current < offset)
        {
            if (!TryReadHeader(position, current, out var header))
            {
                brokenAt = current;
                return false;
            }

            position += header.FrameLength;
            current++;
            NoteFrameStart(current, position);
        }

        brokenAt = -1;
        return true;
    }

    /// <summary>The record whose frame starts at the position, if the frame is whole, in place and intact.</summary>
    public bool TryRead(long position, long offset, out StoredRecord record, out long frameLength)
    {
        record = null!;
        frameLength = 0;
        Span<byte> header = stackalloc byte[RecordFrame.HeaderLength];
        if (!TryReadHeader(position, offset, out var fields, header))
        {
            return false;
        }

        var data = new byte[fields.Length];
        if (!ReadExactly(data, position + RecordFrame.HeaderLength) || !RecordFrame.IsIntact(header, data))
        {
            return false;
        }

        record = new StoredRecord(offset, DateTimeOffset.FromUnixTimeMilliseconds(fields.AppendedAtMs), data);
        frameLength = fields.FrameLength;
        return true;
    }

    /// <summary>
    /// Consecutive records from the frame at <paramref name="position"/> (record <paramref name="offset"/>) up to
    /// <paramref name="endOffset"/> or <paramref name="maxRecords"/>, added to <paramref name="records"/>; read in chunks
    /// of up to <see cref="ReadChunkBytes"/> rather than two reads per record. False when a frame on the way is not whole,
    /// in place and intact (the records before it are added): the same test as <see cref="TryRead"/>.
    /// </summary>
    public bool TryReadRun(long position, long offset, long endOffset, int maxRecords, List<StoredRecord> records)
    {
        var chunk = ArrayPool<byte>.Shared.Rent(ReadChunkBytes);
        try
        {
            long chunkStart = 0;
            var chunkLength = 0;
            for (var read = 0; offset < endOffset && read < maxRecords; read++, offset++)
            {
                if (position + RecordFrame.HeaderLength > Length)
                {
                    return false;
                }

                if (position + RecordFrame.HeaderLength > chunkStart + chunkLength)
                {
                    (chunkStart, chunkLength) = (position, Fill(chunk, position));
                    if (chunkLength < RecordFrame.HeaderLength)
                    {
                        return false;
                    }
                }

                var header = RecordFrame.ReadHeader(chunk.AsSpan((int)(position - chunkStart), RecordFrame.HeaderLength));
                if (header.Offset != offset || header.Length < 0 || position + header.FrameLength > Length)
                {
                    return false;
                }

                if (header.FrameLength > chunk.Length)
                {
                    // Larger than a chunk (records may be up to a segment): read on its own.
                    if (!TryRead(position, offset, out var large, out _))
                    {
                        return false;
                    }

                    records.Add(large);
                    position += header.FrameLength;
                    continue;
                }

                if (position + header.FrameLength > chunkStart + chunkLength)
                {
                    (chunkStart, chunkLength) = (position, Fill(chunk, position));
                    if (chunkLength < header.FrameLength)
                    {
                        return false;
                    }
                }

                var frame = chunk.AsSpan((int)(position - chunkStart), (int)header.FrameLength);
                var data = frame[RecordFrame.HeaderLength..];
                if (!RecordFrame.IsIntact(frame[..RecordFrame.HeaderLength], data))
                {
                    return false;
                }

                records.Add(new StoredRecord(offset, DateTimeOffset.FromUnixTimeMilliseconds(header.AppendedAtMs), data.ToArray()));
                position += header.FrameLength;
            }

            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    public void MarkCorruptFrom(long offset) => CorruptFrom = Math.Min(CorruptFrom ?? long.MaxValue, offset);

    public void Delete()
    {
        _handle.Dispose();
        File.Delete(Path);
    }

    public void Dispose() => _handle.Dispose();

    private bool TryReadHeader(long position, long offset, out FrameHeader header) =>
        TryReadHeader(position, offset, out header, stackalloc byte[RecordFrame.HeaderLength]);

    /// <summary>A header is taken only if it lies inside the segment, carries the offset expected there and a sane length.</summary>
    private bool TryReadHeader(long position, long offset, out FrameHeader header, Span<byte> buffer)
    {
        header = default;
        if (position + RecordFrame.HeaderLength > Length || !ReadExactly(buffer, position))
        {
            return false;
        }

        header = RecordFrame.ReadHeader(buffer);
        return header.Offset == offset && header.Length >= 0 && position + header.FrameLength <= Length;
    }

    /// <summary>Reads from the position up to the chunk's size or the segment's end; returns the bytes read.</summary>
    private int Fill(byte[] chunk, long position) =>
        RandomAccess.Read(_handle, chunk.AsSpan(0, (int)Math.Min(chunk.Length, Length - position)), position);

    private bool ReadExactly(Span<byte> buffer, long position) => RandomAccess.Read(_handle, buffer, position) == buffer.Length;

    private void NoteFrameStart(long offset, long position)
    {
        if (position >= _index[^1].Position + IndexSpacing)
        {
            _index.Add((offset, position));
        }
    }
}
