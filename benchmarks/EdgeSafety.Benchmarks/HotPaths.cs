using System.Buffers;
using BenchmarkDotNet.Attributes;
using EdgeSafety.Analytics.Charging;
using EdgeSafety.Charging.Benchmarks;
using EdgeSafety.Contracts;
using EdgeSafety.Influx;
using EdgeSafety.Ingest;
using EdgeSafety.Ingest.Analysis;
using EdgeSafety.LoadGenerator;
using EdgeSafety.Storage;
using EdgeSafety.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeSafety.Benchmarks;

/// <summary>
/// What ingest does per message on the MQTT thread, with allocations: validating a harmonic meter's payload (39 values)
/// and a noise sensor's, turning a reading into its line of line protocol, spilling that point (the page-cache
/// write with its frame and CRC; the fsync runs on the store's timer, not here), and the e-bike charging analyser's
/// feature extraction; and what the load generator does per publish.
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
    private readonly List<ReadingNumber> _meterNumbers = [];
    private ChargingModels _models = null!;
    private Reading[] _meterHour = [];
    private FingerprintSource _chargerLoad = null!;
    private readonly float[] _fingerprint = new float[Fingerprint.Count];
    private VirtualDevice _publisher = null!;
    private readonly ArrayBufferWriter<byte> _generated = new(2048);

    [GlobalSetup]
    public void Setup()
    {
        var meter = new VirtualDevice("haizhu", "gw-01", "meter-301", DeviceKind.Meter, "room-301", partitioned: true, seed: 1);
        var noise = new VirtualDevice("haizhu", "gw-01", "noise-1", DeviceKind.Noise, null, partitioned: true, seed: 2);
        _meterTopic = meter.Topic;
        _meterPayload = ReadingCodec.Serialize(meter.Next(_now));
        _noiseTopic = noise.Topic;
        _noisePayload = ReadingCodec.Serialize(noise.Next(_now));
        ReadingCodec.TryParse(_meterTopic, _meterPayload, _now, _meterNumbers, out var source, out var reading, out _);
        _meterReading = new ReceivedReading(source, reading!);
        _spill = PointQueue.Open(new RecordStoreOptions { Directory = _spillDirectory.Path, FlushIntervalMilliseconds = 50 }, TimeProvider.System,
            NullLoggerFactory.Instance);
        _models = ChargingModels.Load(Path.Combine(AppContext.BaseDirectory, "models"));
        var household = new VirtualDevice("haizhu", "gw-01", "meter-302", DeviceKind.Meter, "room-302", partitioned: true, seed: 3);
        _meterHour = [.. Enumerable.Range(0, MeterHour).Select(second => household.Next(_now.AddSeconds(second)))];
        _chargerLoad = FingerprintSource.Charger();
        _publisher = new VirtualDevice("haizhu", "gw-01", "meter-303", DeviceKind.Meter, "room-303", partitioned: true, seed: 4);
    }

    private const int MeterHour = 3_600;

    [GlobalCleanup]
    public void Dispose()
    {
        _spill?.Dispose();
        _models?.Dispose();
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

    /// <summary>As ingest builds a reading's line: each value's number text copied from the payload, not formatted.</summary>
    [Benchmark]
    public int MeterPayloadTextToLineProtocol()
    {
        _line.ResetWrittenCount();
        LineProtocol.Append(_line, ReadingReceiver.ToPoint(_meterReading, _meterPayload, _meterNumbers));
        return _line.WrittenCount;
    }

    /// <summary>As ingest spills a reading's point; what the writer would remove at once is removed, so the spill stays small.</summary>
    [Benchmark]
    public long SpillMeterPoint()
    {
        _spill.Add(ReadingReceiver.ToPoint(_meterReading, _meterPayload, _meterNumbers), CancellationToken.None);
        _spill.RemoveThrough(_spill.FirstOffset + _spill.Count - 1);
        return _spill.Count;
    }

    /// <summary>
    /// Feature extraction alone: the 25 features of an added load with five minutes of 1 s history (a 250 W charger), as
    /// the detector computes them at each checkpoint of a tracked load.
    /// </summary>
    [Benchmark]
    public float ChargingFingerprint()
    {
        _chargerLoad.Compute(_fingerprint);
        return _fingerprint[0];
    }

    /// <summary>
    /// The charging analyser per meter reading, as ingest runs it: the detector's input taken from the reading's values
    /// (<see cref="ChargingAnalyzer.TryObservation"/>), then the detector (steps, tracked loads, the fingerprint and the
    /// model at checkpoints), over an hour of one generated meter at 1 s with a fresh detector.
    /// </summary>
    [Benchmark(OperationsPerInvoke = MeterHour)]
    public int ChargingPerMeterReading()
    {
        var detector = new ChargingDetector("meter-302", _models, new ChargingDetectorOptions());
        var events = 0;
        foreach (var reading in _meterHour)
        {
            if (ChargingAnalyzer.TryObservation(reading, out var observation))
            {
                events += detector.Observe(observation).Count;
            }
        }

        return events;
    }

    /// <summary>The load generator per publish, before the MQTT client: a harmonic meter's next payload from its template.</summary>
    [Benchmark]
    public int GenerateMeterPayload()
    {
        _generated.ResetWrittenCount();
        _publisher.WriteNext(_now, _generated);
        return _generated.WrittenCount;
    }
}
