using System.Text;
using EdgeSafety.Contracts;
using EdgeSafety.Influx;
using EdgeSafety.LoadGenerator;

namespace EdgeSafety.Ingest.Tests;

/// <summary>A reading's InfluxDB point built from its payload's number text, as ingest spills it, against the formatted one.</summary>
public sealed class ReadingPointTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(DeviceKind.Meter, 1)]
    [InlineData(DeviceKind.Meter, 2)]
    [InlineData(DeviceKind.Noise, 3)]
    public void Publishers_payloads_give_the_same_line_from_their_text_as_formatted(DeviceKind kind, int seed)
    {
        var device = new VirtualDevice("haizhu", "gw-01", $"{kind.ToString().ToLowerInvariant()}-{seed}", kind,
            kind == DeviceKind.Meter ? "room-301" : null, partitioned: true, seed);
        for (var i = 0; i < 50; i++)
        {
            var payload = ReadingCodec.Serialize(device.Next(Now.AddSeconds(i - 60)));

            var (fromText, formatted) = Lines(device.Topic, payload);

            fromText.Should().Be(formatted);
        }
    }

    [Fact]
    public void A_hand_written_payload_keeps_its_own_number_text_for_the_same_values()
    {
        var payload = Encoding.UTF8.GetBytes(
            """{"v":1,"device":"meter-301","kind":"meter","profile":"p","seq":7,"ts":"2026-11-22T09:59:58.123Z","values":{"voltage_v":2.30E2,"current_a":1e-5,"power_w":-0,"pf":0.950}}""");

        var (fromText, formatted) = Lines("edgesafety/v1/haizhu/gw-01/readings/meter-301", payload);

        fromText.Should().Be("meter,device=meter-301,gateway=gw-01,profile=p,site=haizhu voltage_v=2.30E2,current_a=1e-5,power_w=-0,pf=0.950,seq=7i 1795341598123");
        formatted.Should().Be("meter,device=meter-301,gateway=gw-01,profile=p,site=haizhu voltage_v=230,current_a=1E-05,power_w=-0,pf=0.95,seq=7i 1795341598123");
    }

    private static (string FromText, string Formatted) Lines(string topic, byte[] payload)
    {
        var numbers = new List<ReadingNumber>();
        ReadingCodec.TryParse(topic, payload, Now, numbers, out var source, out var reading, out var rejection).Should().BeTrue(rejection?.Detail);
        var received = new ReceivedReading(source, reading!);
        return (LineProtocol.Format(ReadingReceiver.ToPoint(received, payload, numbers)), LineProtocol.Format(ReadingReceiver.ToPoint(received)));
    }
}
