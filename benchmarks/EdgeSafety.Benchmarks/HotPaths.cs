using System.Buffers;
using BenchmarkDotNet.Attributes;
using EdgeSafety.Contracts;
using EdgeSafety.Influx;
using EdgeSafety.Ingest;
using EdgeSafety.LoadGenerator;
using EdgeSafety.Storage;
using EdgeSafety.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeSafety.Benchmarks;

/// <summary>
/// What ingest does per message on the MQTT thread, with allocations: validating a harmonic meter's payload (39 values)
/// and a noise sensor's, turning a reading into its line of line protocol, and spilling that point (the page-cache
/// write with its frame and CRC; the fsync runs on the store's timer, not here).
/// </summary>
[MemoryDiagnoser]
public class HotPaths : IDisposable
{
    private readonly ArrayBufferWriter<byte> _line = new(2048);
    private readonly TemporaryDirectory _spillDirectory = new("bench-spill");
    private PointQueue _spill = null!;
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private string _meterTopic = "";
    private byte[] _meterPayload = [];
    private string _noiseTopic = "";
    private byte[] _noisePayload = [];
    private ReceivedReading _meterReading = null!;

    [GlobalSetup]
    public void Setup()
    {
        var meter = new VirtualDevice("haizhu", "gw-01", "meter-301", DeviceKind.Meter, "room-301", partitioned: true, seed: 1);
        var noise = new VirtualDevice("haizhu", "gw-01", "noise-1", DeviceKind.Noise, null, partitioned: true, seed: 2);
        _meterTopic = meter.Topic;
        _meterPayload = ReadingCodec.Serialize(meter.Next(_now));
        _noiseTopic = noise.Topic;
        _noisePayload = ReadingCodec.Serialize(noise.Next(_now));
        ReadingCodec.TryParse(_meterTopic, _meterPayload, _now, out var source, out var reading, out _);
        _meterReading = new ReceivedReading(source, reading!);
        _spill = PointQueue.Open(new RecordStoreOptions { Directory = _spillDirectory.Path, FlushIntervalMilliseconds = 50 }, TimeProvider.System,
            NullLoggerFactory.Instance);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _spill?.Dispose();
        _spillDirectory.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public bool ParseMeterPayload() => ReadingCodec.TryParse(_meterTopic, _meterPayload, _now, out _, out _, out _);

    [Benchmark]
    public bool ParseNoisePayload() => ReadingCodec.TryParse(_noiseTopic, _noisePayload, _now, out _, out _, out _);

    [Benchmark]
    public int MeterReadingToLineProtocol()
    {
        _line.ResetWrittenCount();
        LineProtocol.Append(_line, ReadingReceiver.ToPoint(_meterReading));
        return _line.WrittenCount;
    }

    /// <summary>As ingest spills a reading's point; what the writer would remove at once is removed, so the spill stays small.</summary>
    [Benchmark]
    public long SpillMeterPoint()
    {
        _spill.Add(ReadingReceiver.ToPoint(_meterReading), CancellationToken.None);
        _spill.RemoveThrough(_spill.FirstOffset + _spill.Count - 1);
        return _spill.Count;
    }
}
