using System.Globalization;
using System.Text;

namespace EdgeSafety.Contracts.Tests;

public class ReadingCodecTests
{
    private const string Topic = "edgesafety/v1/haizhu/gw-01/readings/meter-301";
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static readonly Reading Sample = new("meter-301", DeviceKind.Meter, "harmonic-meter", "room-301", 42,
        new DateTimeOffset(2026, 11, 22, 9, 59, 58, 123, TimeSpan.Zero),
        new Dictionary<string, double> { ["voltage_v"] = 229.5, ["current_a"] = 0.25 });

    [Fact]
    public void Serializes_exactly_the_documented_payload()
    {
        Encoding.UTF8.GetString(ReadingCodec.Serialize(Sample)).Should().Be(
            """{"v":1,"device":"meter-301","kind":"meter","profile":"harmonic-meter","unit":"room-301","seq":42,"ts":"2026-11-22T09:59:58.123Z","values":{"voltage_v":229.5,"current_a":0.25}}""");
    }

    [Fact]
    public void Round_trips_a_reading_with_its_topic()
    {
        ReadingCodec.TryParse(Topic, ReadingCodec.Serialize(Sample), Now, out var source, out var reading, out var rejection)
            .Should().BeTrue(rejection?.Detail);

        source.Should().Be(new ReadingSource("haizhu", "gw-01", "meter-301"));
        reading!.Values.Should().BeEquivalentTo(Sample.Values);
        reading.Should().BeEquivalentTo(Sample, o => o.Excluding(r => r.Values));
    }

    [Fact]
    public void Gives_each_value_with_its_number_text_as_published_in_document_order()
    {
        var payload = Encoding.UTF8.GetBytes(
            """{"v":1,"device":"meter-301","kind":"meter","profile":"harmonic-meter","seq":1,"ts":"2026-11-22T09:59:58.123Z","values":{"voltage_v": 2.295E2,"current_a":-0,"power_w":1e-400,"pf":0.30000000000000004}}""");
        var numbers = new List<ReadingNumber> { new("stale", 1, 0..1) };

        ReadingCodec.TryParse(Topic, payload, Now, numbers, out _, out var reading, out var rejection).Should().BeTrue(rejection?.Detail);

        numbers.Select(n => n.Name).Should().Equal("voltage_v", "current_a", "power_w", "pf");
        numbers.Select(n => Encoding.UTF8.GetString(payload.AsSpan(n.Text))).Should().Equal("2.295E2", "-0", "1e-400", "0.30000000000000004");
        numbers.Should().AllSatisfy(n => n.Value.Should().Be(reading!.Values[n.Name]));
        BitConverter.DoubleToInt64Bits(numbers[1].Value).Should().Be(BitConverter.DoubleToInt64Bits(-0.0));
    }

    /// <summary>Names are remembered by their position in the last payload; a payload in another order must not be misread.</summary>
    [Fact]
    public void Reads_value_names_right_when_the_next_payload_has_them_in_another_order_or_others()
    {
        string Payload(string values) =>
            $$$"""{"v":1,"device":"meter-301","kind":"meter","profile":"p","seq":1,"ts":"2026-11-22T09:59:58.123Z","values":{{{values}}}}""";
        Reading? Parse(string values)
        {
            ReadingCodec.TryParse(Topic, Encoding.UTF8.GetBytes(Payload(values)), Now, out _, out var reading, out var rejection)
                .Should().BeTrue(rejection?.Detail);
            return reading;
        }

        Parse("""{"voltage_v":1,"current_a":2,"power_w":3}""");
        Parse("""{"current_a":2,"voltage_v":1,"energy_kwh":4}""")!.Values.Should().Equal(
            new Dictionary<string, double> { ["current_a"] = 2, ["voltage_v"] = 1, ["energy_kwh"] = 4 });
        Parse("""{"voltage_v":1,"current_a":2,"power_w":3}""")!.Values.Keys.Should().Equal("voltage_v", "current_a", "power_w");
        ReadingCodec.TryParse(Topic, Encoding.UTF8.GetBytes(Payload("""{"voltage_v":1,"Current_A":2}""")), Now, out _, out _, out var refused)
            .Should().BeFalse();
        refused!.Reason.Should().Be(RejectionReason.InvalidValue);
    }

    [Fact]
    public void Accepts_a_publisher_written_by_hand_with_an_offset_time_and_no_unit()
    {
        var payload = """{ "values": {"db_a": 63.2}, "ts": "2026-11-22T17:59:58+08:00", "seq": 0, "profile": "noise-sensor-hr0", "kind": "noise", "device": "noise-1", "v": 1 }""";

        ReadingCodec.TryParse("edgesafety/v1/haizhu/gw-01/readings/noise-1", Encoding.UTF8.GetBytes(payload), Now,
            out _, out var reading, out var rejection).Should().BeTrue(rejection?.Detail);

        reading!.Timestamp.Should().Be(new DateTimeOffset(2026, 11, 22, 9, 59, 58, TimeSpan.Zero));
        reading.Unit.Should().BeNull();
    }

    /// <summary>Publishers' own shape is read field by field; these must come out as the general ISO-8601 parser reads them.</summary>
    [Theory]
    [InlineData("2026-11-22T09:59:58.123Z")]
    [InlineData("2024-02-29T23:59:59.999Z")]
    [InlineData("2000-01-01T00:00:00.000Z")]
    public void Reads_a_published_time_as_the_general_parser_does(string ts)
    {
        var published = DateTimeOffset.Parse(ts, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var reading = Sample with { Timestamp = published };
        var payload = ReadingCodec.Serialize(reading);

        Encoding.UTF8.GetString(payload).Should().Contain($"\"ts\":\"{ts}\"");
        ReadingCodec.TryParse(Topic, payload, published.AddSeconds(1), out _, out var parsed, out var rejection).Should().BeTrue(rejection?.Detail);
        parsed!.Timestamp.Should().Be(published);
        parsed.Timestamp.Offset.Should().Be(TimeSpan.Zero);
    }

    [Theory]
    [InlineData("2026-02-29T10:00:00.000Z")]
    [InlineData("2026-11-31T10:00:00.000Z")]
    [InlineData("2026-11-22T24:00:00.000Z")]
    [InlineData("2026-11-22T09:60:00.000Z")]
    [InlineData("2026-11-22T09:59:58.12xZ")]
    [InlineData("2026-11-22 09:59:58.123Z")]
    public void Refuses_text_of_the_published_time_shape_that_is_not_a_time(string ts) =>
        ReadingCodec.TryParse(Topic, Encoding.UTF8.GetBytes(Valid().Replace("2026-11-22T09:59:58.123Z", ts)), Now, out _, out _, out _)
            .Should().BeFalse();

    public static TheoryData<string, string, RejectionReason> Malformed => new()
    {
        { Topic, "not json at all", RejectionReason.NotJson },
        { Topic, """{"v":1,"device":"meter-301" """, RejectionReason.NotJson },
        { Topic, """{"v":1} {"v":1}""", RejectionReason.NotJson },
        { Topic, "[1,2,3]", RejectionReason.WrongType },
        { Topic, Valid().Replace("\"v\":1", "\"v\":2"), RejectionReason.UnsupportedVersion },
        { Topic, Valid().Replace("\"v\":1,", ""), RejectionReason.MissingField },
        { Topic, Valid().Replace("\"seq\":42,", ""), RejectionReason.MissingField },
        { Topic, Valid().Replace("\"seq\":42", "\"seq\":\"42\""), RejectionReason.WrongType },
        { Topic, Valid().Replace("\"seq\":42", "\"seq\":-1"), RejectionReason.WrongType },
        { Topic, Valid().Replace("\"seq\":42", "\"seq\":4.5"), RejectionReason.WrongType },
        { Topic, Valid().Replace("229.5", "\"229.5\""), RejectionReason.WrongType },
        { Topic, Valid().Replace("229.5", "null"), RejectionReason.WrongType },
        { Topic, Valid().Replace("229.5", "1e999"), RejectionReason.WrongType },
        { Topic, Valid().Replace("\"voltage_v\"", "\"Voltage V\""), RejectionReason.InvalidValue },
        { Topic, Valid().Replace("\"current_a\"", "\"voltage_v\""), RejectionReason.InvalidValue },
        { Topic, Valid().Replace("2026-11-22T09:59:58.123Z", "yesterday"), RejectionReason.InvalidValue },
        { Topic, Valid().Replace("2026-11-22T09:59:58.123Z", "2031-01-01T00:00:00Z"), RejectionReason.InvalidValue },
        { Topic, Valid().Replace("\"kind\":\"meter\"", "\"kind\":\"toaster\""), RejectionReason.InvalidValue },
        { Topic, Valid().Replace("\"kind\":\"meter\"", "\"kind\":7"), RejectionReason.WrongType },
        { Topic, Valid().Replace("\"unit\":\"room-301\"", "\"unit\":\"room 301/../x\""), RejectionReason.InvalidValue },
        { Topic, Valid().Replace("{\"voltage_v\":229.5,\"current_a\":0.25}", "{}"), RejectionReason.MissingField },
        { Topic, Valid().Replace("{\"voltage_v\":229.5,\"current_a\":0.25}", "[229.5]"), RejectionReason.WrongType },
        { Topic, Valid().Replace("{\"voltage_v\":229.5,\"current_a\":0.25}", "{\"a\":{\"b\":{\"c\":{\"d\":1}}}}"), RejectionReason.NotJson },
        { "edgesafety/v1/haizhu/gw-01/readings/meter-302", Valid(), RejectionReason.TopicMismatch },
        { "edgesafety/v1/haizhu/gw-01/readings/bad device", Valid(), RejectionReason.UnknownTopic },
        { "edgesafety/v2/haizhu/gw-01/readings/meter-301", Valid(), RejectionReason.UnknownTopic },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Rejects_a_malformed_message_with_its_reason(string topic, string payload, RejectionReason expected)
    {
        ReadingCodec.TryParse(topic, Encoding.UTF8.GetBytes(payload), Now, out _, out var reading, out var rejection)
            .Should().BeFalse();

        reading.Should().BeNull();
        rejection!.Reason.Should().Be(expected, rejection.Detail);
    }

    [Fact]
    public void Reads_escaped_text_and_takes_the_last_of_a_member_given_twice()
    {
        var payload = """{"v":1,"device":"meter\u002d301","kind":"m\u0065ter","profile":"harmonic-meter","seq":7,"seq":42,"ts":"2026-11-22T09:59:58.123Z","values":{"volt\u0061ge_v":229.5}}""";

        ReadingCodec.TryParse(Topic, Encoding.UTF8.GetBytes(payload), Now, out _, out var reading, out var rejection).Should().BeTrue(rejection?.Detail);

        reading!.Device.Should().Be("meter-301");
        reading.Kind.Should().Be(DeviceKind.Meter);
        reading.Sequence.Should().Be(42);
        reading.Values.Should().Equal(new Dictionary<string, double> { ["voltage_v"] = 229.5 });
    }

    [Theory]
    [InlineData("""{"v":2,"device":"meter-301","values":{"a":1},""", RejectionReason.NotJson)]
    [InlineData("""{"values":{"Bad":"x"},"v":2}""", RejectionReason.UnsupportedVersion)]
    [InlineData("""{"values":{"a":"x","B":1,"a":2},"ts":"2026-11-22T09:59:58Z","seq":1,"profile":"p","kind":"meter","device":"meter-301","v":1}""", RejectionReason.WrongType)]
    [InlineData("""{"values":{"a":1,"a":2,"b":"x"},"ts":"2026-11-22T09:59:58Z","seq":1,"profile":"p","kind":"meter","device":"meter-301","v":1}""", RejectionReason.InvalidValue)]
    public void Reports_the_same_reason_whatever_the_order_of_the_members(string payload, RejectionReason expected)
    {
        ReadingCodec.TryParse(Topic, Encoding.UTF8.GetBytes(payload), Now, out _, out _, out var rejection).Should().BeFalse();

        rejection!.Reason.Should().Be(expected, rejection.Detail);
    }

    [Fact]
    public void Rejects_a_huge_message_before_parsing_it()
    {
        var huge = Valid().Replace("\"unit\":\"room-301\"", $"\"padding\":\"{new string('x', ReadingCodec.MaxPayloadBytes)}\"");

        ReadingCodec.TryParse(Topic, Encoding.UTF8.GetBytes(huge), Now, out _, out _, out var rejection).Should().BeFalse();

        rejection!.Reason.Should().Be(RejectionReason.TooLarge);
    }

    [Fact]
    public void Keeps_an_attackers_text_out_of_the_rejection_detail()
    {
        var payload = Valid().Replace("\"kind\":\"meter\"", $"\"kind\":\"{new string('k', 10_000)}\"");

        ReadingCodec.TryParse(Topic, Encoding.UTF8.GetBytes(payload), Now, out _, out _, out var rejection);

        rejection!.Detail.Length.Should().BeLessThan(200);
    }

    [Theory]
    [InlineData("gw-01", true)]
    [InlineData("Room_302", true)]
    [InlineData("", false)]
    [InlineData("a/b", false)]
    [InlineData("+", false)]
    [InlineData("#", false)]
    [InlineData("房间302", false)]
    public void Topic_identifiers_are_plain_ascii_segments(string id, bool valid) =>
        Topics.IsValidId(id).Should().Be(valid);

    [Fact]
    public void Refuses_to_build_a_topic_from_a_wildcard()
    {
        var build = () => Topics.Readings("site", "gw", "#");

        build.Should().Throw<ArgumentException>().WithMessage("*'#' is not a valid identifier*");
    }

    private static string Valid() => Encoding.UTF8.GetString(ReadingCodec.Serialize(Sample));
}
