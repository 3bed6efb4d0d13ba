using System.Buffers;
using EdgeSafety.Contracts;
using EdgeSafety.LoadGenerator;

namespace EdgeSafety.Ingest.Tests;

/// <summary>
/// The load generator writes payloads from per-device templates instead of through <see cref="ReadingCodec.Serialize"/>:
/// they must be the same bytes, and ingest must read back exactly the reading the generator meant.
/// </summary>
public sealed class LoadPayloadTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 31, 23, 59, 58, 990, TimeSpan.Zero);

    public static TheoryData<DeviceKind, bool, bool> Devices => new()
    {
        { DeviceKind.Meter, false, false },
        { DeviceKind.Meter, false, true },
        { DeviceKind.Meter, true, true },
        { DeviceKind.Noise, false, false },
        { DeviceKind.Noise, true, true },
    };

    [Theory]
    [MemberData(nameof(Devices))]
    public void Template_payloads_are_the_bytes_the_codec_writes_and_read_back_as_the_same_readings(DeviceKind kind, bool incident, bool interval)
    {
        var templated = Device(kind, incident, interval);
        var reference = Device(kind, incident, interval);
        var payload = new ArrayBufferWriter<byte>();
        for (var i = 0; i < 400; i++)
        {
            // Milliseconds apart on the wall clock: timestamps cross a second, a minute, midnight and the year's end.
            var now = Start.AddMilliseconds(i * 7);
            payload.ResetWrittenCount();
            templated.WriteNext(now, payload);
            var expected = reference.Next(now);

            payload.WrittenSpan.ToArray().Should().Equal(ReadingCodec.Serialize(expected), "reading {0}", i);
            ReadingCodec.TryParse(templated.Topic, payload.WrittenSpan, now, out _, out var parsed, out var rejection).Should().BeTrue(rejection?.Detail);
            parsed!.Sequence.Should().Be(i);
            parsed.Timestamp.Should().Be(expected.Timestamp);
            templated.LastTimestamp.Should().Be(expected.Timestamp);
            parsed.Values.Should().Equal(expected.Values);
        }
    }

    [Fact]
    public void Numbers_are_written_as_the_json_writer_writes_them_whatever_their_decimals()
    {
        double[] values =
        [
            0, -0.0, 1, -1, 230.1, 0.001, 0.05, 0.1 + 0.2, 1.0 / 3, 12345.678, -0.5, 1e-4, 1e-5, 3e-7, 123456789012345,
            1e15, 1e16, 1.5e300, double.Epsilon, double.MaxValue, double.MinValue, 0.30000000000000004, 99.995, 4999.9999,
        ];
        var random = new Random(3);
        var cases = values.Concat(Enumerable.Range(0, 2000).Select(i => Math.Round((random.NextDouble() - 0.3) * Math.Pow(10, i % 9), i % 7)));
        foreach (var value in cases)
        {
            var template = new PayloadTemplate("meter-001", DeviceKind.Meter, "harmonic-meter", null, ["x"]);
            var payload = new ArrayBufferWriter<byte>();
            template.Write(payload, 5, Start, [value]);
            var reading = new Reading("meter-001", DeviceKind.Meter, "harmonic-meter", null, 5, Start, new Dictionary<string, double> { ["x"] = value });
            payload.WrittenSpan.ToArray().Should().Equal(ReadingCodec.Serialize(reading), "the value is {0:R}", value);
        }
    }

    private static VirtualDevice Device(DeviceKind kind, bool incident, bool interval) =>
        new("load", "gw-0001", kind == DeviceKind.Noise ? "noise-010" : "meter-001", kind, kind == DeviceKind.Noise ? null : "room-1",
            partitioned: true, seed: 11)
        { ReadingInterval = interval ? TimeSpan.FromSeconds(5) : null, Incident = incident };
}
