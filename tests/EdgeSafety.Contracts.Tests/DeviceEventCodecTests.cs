using System.Text;

namespace EdgeSafety.Contracts.Tests;

public class DeviceEventCodecTests
{
    private const string Topic = "edgesafety/v1/haizhu/gw-01/events/meter-301";
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static readonly DeviceEvent Sample = new("meter-301", DeviceEventKind.Tampered, 3,
        new DateTimeOffset(2026, 11, 22, 9, 59, 58, 123, TimeSpan.Zero),
        new Dictionary<string, object> { ["voltage_v"] = 0.0, ["previous_voltage_v"] = 229.5 });

    [Fact]
    public void Serializes_exactly_the_documented_payload()
    {
        Encoding.UTF8.GetString(DeviceEventCodec.Serialize(Sample)).Should().Be(
            """{"v":1,"device":"meter-301","event":"tampered","seq":3,"ts":"2026-11-22T09:59:58.123Z","detail":{"voltage_v":0,"previous_voltage_v":229.5}}""");
        Topics.Events("haizhu", "gw-01", "meter-301").Should().Be(Topic);
    }

    [Fact]
    public void Round_trips_every_event_with_string_and_number_details()
    {
        foreach (var kind in Enum.GetValues<DeviceEventKind>())
        {
            var sent = Sample with { Event = kind, Detail = new Dictionary<string, object> { ["reason"] = "Timeout", ["offline_seconds"] = 12.5 } };

            DeviceEventCodec.TryParse(Topic, DeviceEventCodec.Serialize(sent), Now, out var source, out var received, out var rejection)
                .Should().BeTrue(rejection?.Detail);

            source.Should().Be(new ReadingSource("haizhu", "gw-01", "meter-301"));
            received!.Detail.Should().BeEquivalentTo(sent.Detail);
            received.Should().BeEquivalentTo(sent, o => o.Excluding(e => e.Detail));
        }
    }

    [Fact]
    public void A_long_error_is_shortened_by_the_writer_so_the_reader_accepts_it()
    {
        var sent = Sample with { Detail = new Dictionary<string, object> { ["error"] = new string('x', 1000) } };

        DeviceEventCodec.TryParse(Topic, DeviceEventCodec.Serialize(sent), Now, out _, out var received, out var rejection)
            .Should().BeTrue(rejection?.Detail);
        ((string)received!.Detail["error"]).Should().HaveLength(DeviceEventCodec.MaxDetailLength);
    }

    public static TheoryData<string, string, RejectionReason> Malformed => new()
    {
        { "edgesafety/v1/haizhu/gw-01/readings/meter-301", Valid(), RejectionReason.UnknownTopic },
        { Topic, "not json", RejectionReason.NotJson },
        { Topic, "[1]", RejectionReason.WrongType },
        { Topic, Valid().Replace("\"v\":1", "\"v\":2"), RejectionReason.UnsupportedVersion },
        { Topic, Valid().Replace("\"device\":\"meter-301\"", "\"device\":\"meter-302\""), RejectionReason.TopicMismatch },
        { Topic, Valid().Replace("\"event\":\"tampered\",", ""), RejectionReason.MissingField },
        { Topic, Valid().Replace("\"tampered\"", "\"exploded\""), RejectionReason.InvalidValue },
        { Topic, Valid().Replace("\"tampered\"", "\"Tampered\""), RejectionReason.InvalidValue },
        { Topic, Valid().Replace("\"seq\":3", "\"seq\":-1"), RejectionReason.WrongType },
        { Topic, Valid().Replace("2026-11-22T09:59:58.123Z", "yesterday"), RejectionReason.InvalidValue },
        { Topic, Valid().Replace(",\"detail\":{\"voltage_v\":0,\"previous_voltage_v\":229.5}", ""), RejectionReason.MissingField },
        { Topic, Valid().Replace("{\"voltage_v\":0,\"previous_voltage_v\":229.5}", "[]"), RejectionReason.WrongType },
        { Topic, Valid().Replace("\"voltage_v\":0", "\"voltage_v\":null"), RejectionReason.WrongType },
        { Topic, Valid().Replace("\"voltage_v\":0", "\"voltage_v\":{\"a\":1}"), RejectionReason.WrongType },
        { Topic, Valid().Replace("\"voltage_v\":0", "\"Voltage V\":0"), RejectionReason.InvalidValue },
        { Topic, Valid().Replace("\"previous_voltage_v\"", "\"voltage_v\""), RejectionReason.InvalidValue },
        { Topic, Valid().Replace("\"voltage_v\":0", $"\"voltage_v\":\"{new string('x', 257)}\""), RejectionReason.TooLarge },
        { Topic, Valid().Replace("\"voltage_v\":0", string.Join(",", Enumerable.Range(0, 17).Select(i => $"\"d{i}\":{i}"))), RejectionReason.TooLarge },
        { Topic, Valid() + new string(' ', DeviceEventCodec.MaxPayloadBytes), RejectionReason.TooLarge },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Refuses_a_malformed_event_with_its_reason(string topic, string payload, RejectionReason reason)
    {
        DeviceEventCodec.TryParse(topic, Encoding.UTF8.GetBytes(payload), Now, out _, out var received, out var rejection).Should().BeFalse();

        received.Should().BeNull();
        rejection!.Reason.Should().Be(reason, rejection.Detail);
    }

    private static string Valid() => Encoding.UTF8.GetString(DeviceEventCodec.Serialize(Sample));
}
