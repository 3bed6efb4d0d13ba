using System.Buffers;
using EdgeSafety.Influx;
using EdgeSafety.Storage;

namespace EdgeSafety.Ingest;

/// <summary>
/// The hand-over from the MQTT thread to the InfluxDB writer, on disk: the point of every reading, and the points
/// analysers derive from them (noise windows, charging sessions), each a record of line protocol in a
/// <see cref="RecordStore"/> (the spill). A reading's point is in the spill before the message callback returns, so
/// before libmosquitto sends the broker its PUBACK; the writer removes points once InfluxDB has them, and after a crash
/// or restart sends whatever is left again (docs/ingest-delivery.md).
/// </summary>
/// <remarks>
/// Bounded by the store's byte limit, with <see cref="StoreFullPolicy.Reject"/>: a full spill never drops a point, it
/// makes <see cref="Add"/> wait for the writer, which holds the MQTT thread, and the broker keeps the rest (if that
/// lasts past 1.5 keep-alive periods, the broker drops the connection and sends the unacknowledged messages again).
/// </remarks>
public sealed partial class PointQueue : IDisposable
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(100);

    private readonly RecordStore _store;
    private readonly ILogger<PointQueue> _logger;
    private readonly Lock _adding = new();
    /// <summary>The point being spilled, as UTF-8 line protocol (a buffer kept for the next one).</summary>
    private readonly ArrayBufferWriter<byte> _line = new(2048);
    private bool _failing;
    private bool _heldAtStop;

    private PointQueue(RecordStore store, ILogger<PointQueue> logger)
    {
        _store = store;
        _logger = logger;
    }

    /// <summary>Points waiting for InfluxDB (in the spill, not yet removed).</summary>
    public long Count => _store.Count;

    /// <summary>Bytes of the spill's segment files.</summary>
    public long SizeBytes => _store.SizeBytes;

    /// <summary>When the oldest waiting point was spilled; null when none waits.</summary>
    public DateTimeOffset? OldestAddedAt => _store.OldestAppendedAt;

    /// <summary>The first waiting point: where the writer starts after a restart.</summary>
    public long FirstOffset => _store.FirstOffset;

    public static PointQueue Open(RecordStoreOptions options, TimeProvider time, ILoggerFactory loggers) =>
        new(RecordStore.Open(options, StoreFullPolicy.Reject, time, loggers.CreateLogger<RecordStore>()), loggers.CreateLogger<PointQueue>());

    /// <summary>
    /// Spills the point (written to the file, so it survives the process; forced to disk within the store's flush
    /// interval). It returns only once the point is stored: the message's PUBACK goes out when the callback returns,
    /// so a point that could not be stored must hold the callback. While the spill is full (or its disk fails) it
    /// retries until the writer frees room, even when <paramref name="stopping"/> is cancelled; stopping then waits
    /// for room, or for the service manager to kill the process, after which the broker delivers the message again.
    /// </summary>
    public void Add(InfluxPoint point, CancellationToken stopping)
    {
        // Readings come on the MQTT thread only, but an analyser may emit a point from a timer of its own.
        lock (_adding)
        {
            _line.ResetWrittenCount();
            LineProtocol.Append(_line, point);
            while (!TryAppend(_line.WrittenSpan))
            {
                if (stopping.IsCancellationRequested && !_heldAtStop)
                {
                    _heldAtStop = true;
                    LogHeldAtStop(_logger);
                }

                Thread.Sleep(RetryInterval);
            }
        }
    }

    /// <summary>Up to <paramref name="maxPoints"/> waiting points from <paramref name="fromOffset"/> on, oldest first.</summary>
    public RecordBatch Read(long fromOffset, int maxPoints) => _store.Read(fromOffset, maxPoints);

    /// <summary>Completes when a point at <paramref name="fromOffset"/> or later is on disk and can be read.</summary>
    public Task WaitForPointsAsync(long fromOffset, CancellationToken cancellationToken) =>
        _store.WaitForRecordsAsync(fromOffset, cancellationToken);

    /// <summary>InfluxDB has every point up to and including this offset: their room is freed.</summary>
    public void RemoveThrough(long offset) => _store.RemoveThrough(offset);

    public void Dispose() => _store.Dispose();

    private bool TryAppend(ReadOnlySpan<byte> line)
    {
        try
        {
            _store.Append(line);
            if (_failing)
            {
                _failing = false;
                LogStoringAgain(_logger, _store.Count);
            }

            return true;
        }
        catch (Exception ex) when (ex is StorageFullException or IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            // Disposed: the service is ending with this message in hand; it must not be acknowledged.
            if (!_failing)
            {
                _failing = true;
                LogCannotStore(_logger, ex.Message);
            }

            return false;
        }
    }

    [LoggerMessage(EventId = 2110, Level = LogLevel.Warning, Message = "Cannot spill a point ({Detail}): taking no more messages until it can; the broker holds the rest")]
    private static partial void LogCannotStore(ILogger logger, string detail);

    [LoggerMessage(EventId = 2111, Level = LogLevel.Information, Message = "Spilling points again ({Count} waiting): taking messages")]
    private static partial void LogStoringAgain(ILogger logger, long count);

    [LoggerMessage(EventId = 2112, Level = LogLevel.Warning, Message = "Stopping with a message whose point cannot be spilled yet: it stays unacknowledged until it is stored or the process is killed (the broker then sends it again)")]
    private static partial void LogHeldAtStop(ILogger logger);
}
