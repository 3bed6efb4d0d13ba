using System.Text;
using BenchmarkDotNet.Attributes;
using EdgeSafety.Contracts;
using EdgeSafety.Influx;
using EdgeSafety.Ingest;
using EdgeSafety.LoadGenerator;

namespace EdgeSafety.Benchmarks;

/// <summary>
/// What ingest does per message on the MQTT thread, with allocations: validating a harmonic meter's payload (39 values)
/// and a noise sensor's, and turning a reading into its line of line protocol.
/// </summary>
[MemoryDiagnoser]
public class HotPaths
{
    private readonly StringBuilder _line = new(2048);
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
    }

    [Benchmark]
    public bool ParseMeterPayload() => ReadingCodec.TryParse(_meterTopic, _meterPayload, _now, out _, out _, out _);

    [Benchmark]
    public bool ParseNoisePayload() => ReadingCodec.TryParse(_noiseTopic, _noisePayload, _now, out _, out _, out _);

    [Benchmark]
    public int MeterReadingToLineProtocol()
    {
        _line.Clear();
        LineProtocol.Append(_line, ReadingReceiver.ToPoint(_meterReading));
        return _line.Length;
    }
}
