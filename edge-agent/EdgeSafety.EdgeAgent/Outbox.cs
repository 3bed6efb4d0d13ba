using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using EdgeSafety.Contracts;
using EdgeSafety.ServiceDefaults;
using EdgeSafety.Storage;

namespace EdgeSafety.EdgeAgent;

/// <summary>A reading in the outbox, with its offset there (what the publisher acknowledges).</summary>
public sealed record StoredMessage(long Offset, string Topic, byte[] Payload);

/// <summary>
/// Readings between the pollers and the broker, on disk (docs/store-and-forward.md): each reading is appended to a
/// <see cref="RecordStore"/> before it is published and removed once the broker has acknowledged it, so it survives
/// broker outages, restarts and power cuts. Past the store's byte or age limit the oldest readings are dropped,
/// counted and logged. It also keeps each device's sequence number, which must never repeat across restarts.
/// </summary>
/// <remarks>
/// A stored record is the reading's sequence number (8 bytes), its topic (2-byte length, UTF-8) and its payload, so
/// the numbers can be recovered without parsing payloads.
/// </remarks>
public sealed partial class Outbox : IDisposable
{
    private const int SequenceLength = 8;
    private const int TopicLengthLength = 2;

    private readonly RecordStore _store;
    private readonly DeviceSequences _sequences;
    private readonly AgentMetrics _metrics;
    private readonly ILogger<Outbox> _logger;
    private readonly Lock _failureSync = new();
    private bool _failing;

    private Outbox(RecordStore store, DeviceSequences sequences, AgentMetrics metrics, ILogger<Outbox> logger)
    {
        _store = store;
        _sequences = sequences;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>The oldest reading not yet acknowledged.</summary>
    public long FirstOffset => _store.FirstOffset;

    /// <summary>Messages on disk waiting for the broker's acknowledgement.</summary>
    public long Count => _store.Count;

    /// <summary>Bytes of the store's segment files.</summary>
    public long SizeBytes => _store.SizeBytes;

    /// <summary>
    /// Opens the store and recovers the sequence numbers: those saved with its checkpoint, raised by every reading
    /// stored after it.
    /// </summary>
    public static Outbox Open(RecordStoreOptions options, AgentMetrics metrics, ServiceMetrics serviceMetrics, TimeProvider time,
        ILoggerFactory loggers)
    {
        var sequences = new DeviceSequences();
        var store = RecordStore.Open(options, StoreFullPolicy.DropOldest, time, loggers.CreateLogger<RecordStore>(), sequences.Save);
        try
        {
            sequences.Restore(store.StateAtOpen.Data);
            for (var from = store.StateAtOpen.CoversThrough + 1; ;)
            {
                var batch = store.Read(from, 1000);
                metrics.StoreDropped.Add(batch.Lost);
                if (batch.Records.Count == 0)
                {
                    break;
                }

                foreach (var record in batch.Records)
                {
                    var (sequence, message) = Decode(record);
                    if (SequenceOf(message.Topic) is { } numbered)
                    {
                        sequences.Advance(numbered, sequence);
                    }
                }

                from = batch.Records[^1].Offset + 1;
            }

            serviceMetrics.Gauge("agent_store_records", "Readings on disk waiting for the broker's acknowledgement.", () => store.Count);
            serviceMetrics.Gauge("agent_store_bytes", "Bytes of the store's segment files.", () => store.SizeBytes);
            serviceMetrics.Gauge("agent_store_oldest_age_seconds", "Age of the oldest reading waiting; 0 when none waits.",
                () => store.OldestAppendedAt is { } oldest ? (time.GetUtcNow() - oldest).TotalSeconds : 0);
            return new Outbox(store, sequences, metrics, loggers.CreateLogger<Outbox>());
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>The sequence a device's events are numbered in (its readings are numbered in the sequence named by its id).</summary>
    public static string EventsSequence(string device) => device + "/events";

    /// <summary>
    /// Stores the next message of a sequence (a device id for its readings, <see cref="EventsSequence"/> for its
    /// events), published on <paramref name="topic"/>. <paramref name="encode"/> gets the message's sequence number
    /// (one past the last one stored in that sequence, ever) and returns its payload. The message is on disk within the
    /// store's flush interval and published after that.
    /// </summary>
    public void Add(string sequenceName, string topic, Func<long, byte[]> encode)
    {
        // Taken (and the counter moved) before the append: a checkpoint saved between the append and this would
        // otherwise cover the record but not its number, and a restart would hand that number out again.
        var sequence = _sequences.Take(sequenceName);
        var payload = encode(sequence);
        var topicBytes = Encoding.UTF8.GetBytes(topic);
        var record = new byte[SequenceLength + TopicLengthLength + topicBytes.Length + payload.Length];
        BinaryPrimitives.WriteInt64LittleEndian(record, sequence);
        BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(SequenceLength), checked((ushort)topicBytes.Length));
        topicBytes.CopyTo(record, SequenceLength + TopicLengthLength);
        payload.CopyTo(record, SequenceLength + TopicLengthLength + topicBytes.Length);
        if (record.Length > _store.MaxRecordLength)
        {
            Lost($"the reading is {record.Length} bytes, more than one store segment holds");
            return;
        }

        try
        {
            var result = _store.Append(record);
            _metrics.StoreDropped.Add(result.Dropped);
            Recovered();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Lost(ex.Message);
        }
    }

    /// <summary>Readings from the offset on, in order; damaged ones the store skipped are counted as dropped.</summary>
    public List<StoredMessage> Read(long fromOffset, int maxCount)
    {
        var batch = _store.Read(fromOffset, maxCount);
        _metrics.StoreDropped.Add(batch.Lost);
        return batch.Records.Select(record => Decode(record).Message).ToList();
    }

    /// <summary>Completes when a reading at the offset or later can be read.</summary>
    public Task WaitForMessagesAsync(long fromOffset, CancellationToken cancellationToken) =>
        _store.WaitForRecordsAsync(fromOffset, cancellationToken);

    /// <summary>The broker has acknowledged every reading up to and including this offset.</summary>
    public void RemoveThrough(long offset) => _store.RemoveThrough(offset);

    public void Dispose() => _store.Dispose();

    /// <summary>The sequence a stored message's topic numbers it in; null for a topic that is not numbered.</summary>
    private static string? SequenceOf(string topic) =>
        Topics.TryParseReadings(topic, out var reading) ? reading.Device
        : Topics.TryParseEvents(topic, out var events) ? EventsSequence(events.Device)
        : null;

    private static (long Sequence, StoredMessage Message) Decode(StoredRecord record)
    {
        var data = record.Data;
        var topicLength = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(SequenceLength));
        var payloadStart = SequenceLength + TopicLengthLength + topicLength;
        return (BinaryPrimitives.ReadInt64LittleEndian(data),
            new StoredMessage(record.Offset, Encoding.UTF8.GetString(data, SequenceLength + TopicLengthLength, topicLength), data[payloadStart..]));
    }

    /// <summary>A reading that could not be stored (a full or failing disk): counted; logged when this starts and when it ends.</summary>
    private void Lost(string error)
    {
        _metrics.StoreDropped.Increment();
        lock (_failureSync)
        {
            if (_failing)
            {
                return;
            }

            _failing = true;
        }

        LogStoreFailing(error);
    }

    private void Recovered()
    {
        lock (_failureSync)
        {
            if (!_failing)
            {
                return;
            }

            _failing = false;
        }

        LogStoreRecovered();
    }

    /// <summary>Per device, the next sequence number (saved as JSON with the store's checkpoint).</summary>
    private sealed class DeviceSequences
    {
        private readonly Lock _sync = new();
        private readonly Dictionary<string, long> _next = new(StringComparer.Ordinal);

        /// <summary>The device's next number, now used: the one after it is one more.</summary>
        public long Take(string device)
        {
            lock (_sync)
            {
                var sequence = _next.GetValueOrDefault(device);
                _next[device] = sequence + 1;
                return sequence;
            }
        }

        public void Advance(string device, long stored)
        {
            lock (_sync)
            {
                _next[device] = Math.Max(_next.GetValueOrDefault(device), stored + 1);
            }
        }

        public byte[] Save()
        {
            lock (_sync)
            {
                return JsonSerializer.SerializeToUtf8Bytes(_next);
            }
        }

        public void Restore(byte[] saved)
        {
            if (saved.Length == 0)
            {
                return;
            }

            foreach (var (device, next) in JsonSerializer.Deserialize<Dictionary<string, long>>(saved)!)
            {
                Advance(device, next - 1);
            }
        }
    }

    [LoggerMessage(EventId = 1411, Level = LogLevel.Error, Message = "Cannot store readings ({Error}); they are dropped and counted until storing works again")]
    private partial void LogStoreFailing(string error);

    [LoggerMessage(EventId = 1412, Level = LogLevel.Information, Message = "Storing readings works again")]
    private partial void LogStoreRecovered();
}
