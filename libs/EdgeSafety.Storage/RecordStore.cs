using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Logging;

namespace EdgeSafety.Storage;

/// <summary>
/// An ordered, append-only store of records on disk, for store-and-forward: every record gets the next offset (a
/// long that only grows, across restarts too), is read back in offset order, and stays until the reader removes it
/// (<see cref="RemoveThrough"/>, the checkpoint) or a limit drops it. Records live in segment files
/// (<see cref="RecordStoreOptions.SegmentBytes"/> each), so space is freed by deleting whole files.
/// </summary>
/// <remarks>
/// <para>
/// Durability: appends go to the page cache and are forced to disk every <see cref="RecordStoreOptions.FlushIntervalMilliseconds"/>
/// (or before each append returns, with 0). A record is handed to readers only once it is on disk, so a reader never
/// acts on a record that a power cut can still take back; what a power cut loses is the unflushed tail, which on the
/// next open is found by its frames (length, offset, CRC-32) and cut off.
/// </para>
/// <para>
/// Thread-safe: one lock guards everything, disk writes and fsyncs included (they are short, and one writer and one
/// reader are all it serves). Memory is bounded: records are read from disk on demand and only a sparse index is kept.
/// </para>
/// </remarks>
public sealed partial class RecordStore : IDisposable
{
    private const string LockFileName = "store.lock";

    private readonly Lock _sync = new();
    private readonly string _directory;
    private readonly RecordStoreOptions _options;
    private readonly StoreFullPolicy _policy;
    private readonly TimeProvider _time;
    private readonly ILogger<RecordStore> _logger;
    private readonly Func<byte[]>? _captureState;
    private readonly FileStream _lockFile;
    private readonly ITimer? _flushTimer;

    /// <summary>Oldest first; the last one is written to.</summary>
    private readonly List<Segment> _segments;
    private long _head;
    private long _persistedHead;
    private long _readableEnd;
    private long _bytes;
    private long _lastAppendedAtMs;
    private long _droppedTotal;
    private bool _unflushed;
    private bool _checkpointStale;
    private bool _flushFailing;
    private bool _disposed;
    private TaskCompletionSource _readable = NewSignal();

    /// <summary>Where each append's frame is built (under the lock), grown to the largest record seen.</summary>
    private byte[] _frame = new byte[4096];

    private RecordStore(RecordStoreOptions options, StoreFullPolicy policy, TimeProvider time, ILogger<RecordStore> logger,
        Func<byte[]>? captureState, FileStream lockFile, List<Segment> segments, long head, SavedState state)
    {
        _directory = options.Directory;
        _options = options;
        _policy = policy;
        _time = time;
        _logger = logger;
        _captureState = captureState;
        _lockFile = lockFile;
        _segments = segments;
        _head = _persistedHead = head;
        _readableEnd = Active.EndOffset;
        _bytes = segments.Sum(s => s.Length);
        _lastAppendedAtMs = Active.LastAppendedAtMs ?? 0;
        StateAtOpen = state;
        if (options.FlushIntervalMilliseconds > 0)
        {
            var interval = TimeSpan.FromMilliseconds(options.FlushIntervalMilliseconds);
            _flushTimer = time.CreateTimer(_ => FlushOnTimer(), null, interval, interval);
        }
    }

    /// <summary>The caller's state saved with the last checkpoint before this open (see <see cref="Open"/>).</summary>
    public SavedState StateAtOpen { get; }

    /// <summary>The oldest record not removed: a read from an earlier offset starts here.</summary>
    public long FirstOffset
    {
        get
        {
            lock (_sync)
            {
                return _head;
            }
        }
    }

    /// <summary>The offset the next append gets.</summary>
    public long NextOffset
    {
        get
        {
            lock (_sync)
            {
                return Active.EndOffset;
            }
        }
    }

    /// <summary>Records appended and not removed (read or not).</summary>
    public long Count
    {
        get
        {
            lock (_sync)
            {
                return Active.EndOffset - _head;
            }
        }
    }

    /// <summary>Bytes of all segment files, including acknowledged records whose segment is not yet deleted.</summary>
    public long SizeBytes
    {
        get
        {
            lock (_sync)
            {
                return _bytes;
            }
        }
    }

    /// <summary>The largest record an append takes: one frame must fit in one segment.</summary>
    public int MaxRecordLength => _options.SegmentBytes - RecordFrame.HeaderLength;

    /// <summary>When the oldest record still in the store was appended; null when it is empty.</summary>
    public DateTimeOffset? OldestAppendedAt
    {
        get
        {
            lock (_sync)
            {
                ThrowIfDisposed();
                if (_head >= Active.EndOffset)
                {
                    return null;
                }

                var segment = SegmentHolding(_head);
                var offset = Math.Max(_head, segment.BaseOffset);
                return segment.TryLocate(offset, out var position, out _) && segment.TryRead(position, offset, out var record, out _)
                    ? record.AppendedAt
                    : null;
            }
        }
    }

    private Segment Active => _segments[^1];

    /// <summary>
    /// Opens (or creates) the store in <see cref="RecordStoreOptions.Directory"/>, cutting a torn last record. The
    /// folder is locked for this process until <see cref="Dispose"/>.
    /// </summary>
    /// <remarks>
    /// <paramref name="captureState"/>, optional, is the caller's own small state: it is called under the store's lock
    /// each time the checkpoint is saved (never before the first append or removal of this open), and what it returns is
    /// written atomically with the checkpoint; after a restart it is <see cref="StateAtOpen"/>, with the last offset
    /// appended before it was taken. The edge agent keeps its per-device sequence numbers this way, so that they survive
    /// the records that carried them being removed.
    /// </remarks>
    public static RecordStore Open(RecordStoreOptions options, StoreFullPolicy policy, TimeProvider time, ILogger<RecordStore> logger,
        Func<byte[]>? captureState = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);

        var directory = Directory.CreateDirectory(options.Directory).FullName;
        var lockFile = LockDirectory(directory);
        var segments = new List<Segment>();
        try
        {
            var checkpoint = ReadCheckpoint(directory, logger);
            var paths = Directory.EnumerateFiles(directory, "*" + Segment.Extension)
                .Select(path => (Path: path, Parsed: Segment.TryParseBaseOffset(path, out var baseOffset), BaseOffset: baseOffset))
                .Where(file => file.Parsed)
                .OrderBy(file => file.BaseOffset)
                .ToList();
            for (var i = 0; i < paths.Count - 1; i++)
            {
                segments.Add(Segment.OpenSealed(paths[i].Path, paths[i].BaseOffset, paths[i + 1].BaseOffset));
            }

            if (paths.Count > 0)
            {
                var newest = paths[^1];
                segments.Add(Segment.Recover(newest.Path, newest.BaseOffset, out var bytesCut));
                if (bytesCut > 0)
                {
                    LogTornTailCut(logger, Path.GetFileName(newest.Path), bytesCut, segments[^1].EndOffset);
                }
            }

            var head = Math.Max(checkpoint?.Head ?? 0, segments.Count > 0 ? segments[0].BaseOffset : 0);
            if (segments.Count == 0 || segments[^1].EndOffset < head)
            {
                // A new store, or one whose records up to the checkpoint are gone: offsets go on from the checkpoint.
                segments.Add(Segment.Create(directory, head));
            }

            // Segments wholly before the saved checkpoint were on their way out when the process stopped.
            while (segments.Count > 1 && segments[0].EndOffset <= head)
            {
                segments[0].Delete();
                segments.RemoveAt(0);
            }

            var state = checkpoint is null
                ? new SavedState([], -1)
                : new SavedState(checkpoint.State, Math.Min(checkpoint.StateCoversThrough, segments[^1].EndOffset - 1));
            LogOpened(logger, directory, segments[^1].EndOffset - head, head, segments[^1].EndOffset);
            return new RecordStore(options, policy, time, logger, captureState, lockFile, segments, head, state);
        }
        catch
        {
            segments.ForEach(s => s.Dispose());
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Appends a record and returns its offset. When the store would pass <see cref="RecordStoreOptions.MaxBytes"/>, whole
    /// segments go first: acknowledged ones, then (<see cref="StoreFullPolicy.DropOldest"/>) the oldest unacknowledged
    /// ones, whose count is returned and logged; under <see cref="StoreFullPolicy.Reject"/> a
    /// <see cref="StorageFullException"/> is thrown instead and nothing is stored.
    /// </summary>
    public AppendResult Append(ReadOnlySpan<byte> record)
    {
        if (record.Length > MaxRecordLength)
        {
            throw new ArgumentException($"A record is at most {MaxRecordLength} bytes with {_options.SegmentBytes}-byte segments; this one is {record.Length}.", nameof(record));
        }

        lock (_sync)
        {
            ThrowIfDisposed();
            // Monotonic even if the clock is set back, so that segments stay in age order.
            var now = Math.Max(_time.GetUtcNow().ToUnixTimeMilliseconds(), _lastAppendedAtMs);
            var dropped = DropExpired(now);
            var frameLength = RecordFrame.HeaderLength + record.Length;
            if (Active.Length > 0 && Active.Length + frameLength > _options.SegmentBytes)
            {
                Roll();
            }

            dropped += MakeRoom(frameLength);
            var offset = Active.EndOffset;
            if (_frame.Length < frameLength)
            {
                _frame = new byte[Math.Max(frameLength, _frame.Length * 2)];
            }

            var frame = _frame.AsSpan(0, frameLength);
            RecordFrame.Encode(offset, now, record, frame);
            Active.Append(frame, now);
            _bytes += frame.Length;
            _lastAppendedAtMs = now;
            _unflushed = true;
            _checkpointStale = true;
            if (_options.FlushIntervalMilliseconds == 0)
            {
                Flush();
            }

            return new AppendResult(offset, dropped);
        }
    }

    /// <summary>
    /// Up to <paramref name="maxRecords"/> records from <paramref name="fromOffset"/> on (from <see cref="FirstOffset"/>
    /// if that is later), in order, that are on disk. A damaged frame ends what can be read of its segment: the records
    /// from it to the segment's end are skipped, counted in <see cref="RecordBatch.Lost"/> and logged, and reading goes
    /// on with the next segment.
    /// </summary>
    public RecordBatch Read(long fromOffset, int maxRecords)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRecords);
        lock (_sync)
        {
            ThrowIfDisposed();
            var records = new List<StoredRecord>();
            long lost = 0;
            var offset = Math.Max(fromOffset, _head);
            while (records.Count < maxRecords && offset < _readableEnd)
            {
                var segment = SegmentHolding(offset);
                offset = Math.Max(offset, segment.BaseOffset);
                var end = Math.Min(segment.CorruptFrom ?? segment.EndOffset, _readableEnd);
                if (offset >= end)
                {
                    offset = segment.EndOffset;
                    continue;
                }

                if (!segment.TryLocate(offset, out var position, out var brokenAt))
                {
                    lost += SkipCorrupt(segment, brokenAt, offset);
                    continue;
                }

                var before = records.Count;
                var intact = segment.TryReadRun(position, offset, end, maxRecords - before, records);
                offset += records.Count - before;
                if (!intact)
                {
                    lost += SkipCorrupt(segment, offset, offset);
                }
            }

            return new RecordBatch(records, lost);
        }
    }

    /// <summary>Completes when a record at <paramref name="fromOffset"/> or later can be read.</summary>
    public async Task WaitForRecordsAsync(long fromOffset, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task readable;
            lock (_sync)
            {
                ThrowIfDisposed();
                if (_readableEnd > Math.Max(fromOffset, _head))
                {
                    return;
                }

                readable = _readable.Task;
            }

            await readable.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Removes every record up to and including <paramref name="offset"/>: the reader is done with them. The checkpoint
    /// is saved with the next flush (at once with a flush interval of 0); until then a restart offers them again, so a
    /// reader must tolerate seeing a record twice.
    /// </summary>
    public void RemoveThrough(long offset)
    {
        lock (_sync)
        {
            ThrowIfDisposed();
            var head = Math.Min(offset + 1, Active.EndOffset);
            if (head <= _head)
            {
                return;
            }

            _head = head;
            _checkpointStale = true;
            if (_options.FlushIntervalMilliseconds == 0)
            {
                Flush();
            }
        }
    }

    /// <summary>Forces what was appended to disk and saves the checkpoint, then releases the folder.</summary>
    public void Dispose()
    {
        _flushTimer?.Dispose();
        lock (_sync)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                Flush();
                if (_checkpointStale)
                {
                    SaveCheckpoint();
                }
            }
            finally
            {
                _segments.ForEach(s => s.Dispose());
                _lockFile.Dispose();
                _readable.TrySetCanceled();
            }
        }
    }

    private static FileStream LockDirectory(string directory)
    {
        var path = Path.Combine(directory, LockFileName);
        try
        {
            // FileShare.None takes an exclusive flock on Linux; the kernel releases it when the process dies.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new IOException($"The store in {directory} is in use by another process (it holds {path}).", ex);
        }
    }

    private static StoreCheckpoint? ReadCheckpoint(string directory, ILogger logger)
    {
        try
        {
            return StoreCheckpoint.Read(directory);
        }
        catch (InvalidDataException ex)
        {
            // Written by rename, so only outside damage gets here: start from the oldest segment (readers may see
            // acknowledged records again) and without the caller's state.
            LogCheckpointDamaged(logger, ex.Message);
            return null;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The first segment with a record at <paramref name="offset"/> or after it; the newest one if none.</summary>
    private Segment SegmentHolding(long offset) => _segments.Find(s => s.EndOffset > offset) ?? Active;

    /// <summary>Drops whole segments all of whose records are older than MaxAge (DropOldest only). Returns unacknowledged records dropped.</summary>
    private long DropExpired(long nowMs)
    {
        if (_policy == StoreFullPolicy.Reject)
        {
            return 0;
        }

        var cutoff = nowMs - (long)TimeSpan.FromHours(_options.MaxAgeHours).TotalMilliseconds;
        var expired = 0;
        // Appended times only grow, so a segment is all older than the cutoff when its last record is; for an older
        // segment found at open that time is not known, and the first record after it stands in (it is no earlier).
        while (expired < _segments.Count - 1
            && (_segments[expired].LastAppendedAtMs ?? _segments[expired + 1].FirstAppendedAtMs()) < cutoff)
        {
            expired++;
        }

        return expired == 0 ? 0 : DropOldestSegments(expired, $"older than {_options.MaxAgeHours} h");
    }

    /// <summary>Frees whole segments, oldest first, until a frame of this length fits under MaxBytes.</summary>
    private long MakeRoom(int frameLength)
    {
        var excess = _bytes + frameLength - _options.MaxBytes;
        if (excess <= 0)
        {
            return 0;
        }

        // The newest segment is never taken: after the roll check it holds at most one segment's worth with this frame,
        // and MaxBytes is at least two segments, so the older ones free enough.
        var count = 0;
        for (long freed = 0; freed < excess && count < _segments.Count - 1; count++)
        {
            freed += _segments[count].Length;
        }

        if (_policy == StoreFullPolicy.Reject && _segments[count - 1].EndOffset > _head)
        {
            throw new StorageFullException(
                $"The store in {_directory} holds {_bytes} bytes of its {_options.MaxBytes}; {Active.EndOffset - _head} records wait to be removed.");
        }

        return DropOldestSegments(count, $"over {_options.MaxBytes} bytes");
    }

    /// <summary>
    /// Deletes the oldest segments, moving the head past them, after saving the checkpoint: the caller's state then
    /// covers every record in them before they are gone. Returns how many were not yet removed (the loss).
    /// </summary>
    private long DropOldestSegments(int count, string reason)
    {
        var end = _segments[count - 1].EndOffset;
        // Records past a damaged frame were counted when it was found.
        var lost = _segments.Take(count).Sum(s => Math.Max(0, (s.CorruptFrom ?? s.EndOffset) - Math.Max(_head, s.BaseOffset)));
        var firstLost = _head;
        _head = Math.Max(_head, end);
        SaveCheckpoint();
        for (var i = 0; i < count; i++)
        {
            _bytes -= _segments[0].Length;
            _segments[0].Delete();
            _segments.RemoveAt(0);
        }

        if (lost > 0)
        {
            _droppedTotal += lost;
            LogDropped(_logger, lost, firstLost, end - 1, reason, _droppedTotal);
        }

        return lost;
    }

    /// <summary>Records of a segment from a damaged frame to its end cannot be read: count them once and read past them.</summary>
    private long SkipCorrupt(Segment segment, long brokenAt, long readingFrom)
    {
        if (segment == Active)
        {
            // Appends go on in a new segment; this one ends at the records it has.
            Roll();
        }

        segment.MarkCorruptFrom(brokenAt);
        var lost = segment.EndOffset - Math.Max(readingFrom, _head);
        _droppedTotal += lost;
        LogCorrupt(_logger, Path.GetFileName(segment.Path), brokenAt, lost, _droppedTotal);
        return lost;
    }

    /// <summary>Seals the newest segment (on disk) and starts the next one.</summary>
    private void Roll()
    {
        Flush();
        _segments.Add(Segment.Create(_directory, Active.EndOffset));
        if (_checkpointStale)
        {
            // Bounds what the caller must read back after a crash to the newest segment (see StateAtOpen).
            SaveCheckpoint();
        }
    }

    /// <summary>Appended records to disk, and then to readers.</summary>
    private void Sync()
    {
        if (_unflushed)
        {
            Active.Flush();
            _unflushed = false;
        }

        if (_readableEnd != Active.EndOffset)
        {
            _readableEnd = Active.EndOffset;
            var readable = _readable;
            _readable = NewSignal();
            readable.TrySetResult();
        }
    }

    /// <summary>
    /// Sync, and when records were removed, the checkpoint and the segments it frees. A checkpoint is not saved for
    /// appends alone: that would cost two more fsyncs every interval while the broker is away.
    /// </summary>
    private void Flush()
    {
        Sync();
        if (_head != _persistedHead)
        {
            SaveCheckpoint();
            while (_segments.Count > 1 && _segments[0].EndOffset <= _persistedHead)
            {
                _bytes -= _segments[0].Length;
                _segments[0].Delete();
                _segments.RemoveAt(0);
            }
        }
    }

    /// <summary>The state and its offset are taken together under the lock; the records it covers are synced first.</summary>
    private void SaveCheckpoint()
    {
        Sync();
        var coversThrough = Active.EndOffset - 1;
        new StoreCheckpoint(_head, coversThrough, _captureState?.Invoke() ?? []).Write(_directory);
        _persistedHead = _head;
        _checkpointStale = false;
    }

    private void FlushOnTimer()
    {
        lock (_sync)
        {
            if (_disposed)
            {
                return;
            }

            try
            {
                Flush();
                if (_flushFailing)
                {
                    _flushFailing = false;
                    LogFlushRecovered(_logger, _directory);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A timer callback must not throw (it would end the process); appends report the same failure to the caller.
                if (!_flushFailing)
                {
                    _flushFailing = true;
                    LogFlushFailed(_logger, _directory, ex.Message);
                }
            }
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "Store {Directory} open: {Count} records waiting (offsets {Head} to {Next} exclusive)")]
    private static partial void LogOpened(ILogger logger, string directory, long count, long head, long next);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "Store: cut {Bytes} bytes of a torn write at the end of {Segment}; records go on from offset {Next}")]
    private static partial void LogTornTailCut(ILogger logger, string segment, long bytes, long next);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Warning, Message = "Store {Reason}: dropped the oldest {Count} records (offsets {First} to {Last}); {Total} dropped since start")]
    private static partial void LogDropped(ILogger logger, long count, long first, long last, string reason, long total);

    [LoggerMessage(EventId = 1404, Level = LogLevel.Error, Message = "Store: {Segment} is damaged at offset {Offset}; skipped {Count} records to its end; {Total} dropped since start")]
    private static partial void LogCorrupt(ILogger logger, string segment, long offset, long count, long total);

    [LoggerMessage(EventId = 1405, Level = LogLevel.Error, Message = "Store: the checkpoint is unreadable ({Error}); starting from the oldest segment")]
    private static partial void LogCheckpointDamaged(ILogger logger, string error);

    [LoggerMessage(EventId = 1406, Level = LogLevel.Error, Message = "Store {Directory}: cannot flush to disk: {Error}")]
    private static partial void LogFlushFailed(ILogger logger, string directory, string error);

    [LoggerMessage(EventId = 1407, Level = LogLevel.Information, Message = "Store {Directory}: flushing to disk works again")]
    private static partial void LogFlushRecovered(ILogger logger, string directory);
}
