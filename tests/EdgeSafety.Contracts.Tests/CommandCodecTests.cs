using System.Text;
using System.Text.Json;

namespace EdgeSafety.Contracts.Tests;

public sealed class CommandCodecTests
{
    [Fact]
    public void Each_command_reads_back_as_it_was_written()
    {
        GatewayCommand[] commands =
        [
            new ConfigCommand("c-1", """{"SiteId":"s","Devices":[{"Id":"m1","UnitId":3}]}"""),
            new WarnCommand("c-2", "noise-courtyard", "quiet-hours", null),
            new WarnCommand("c-3", "noise-courtyard", null, "请保持安静"),
            new DiagnosticsCommand("c-4"),
        ];

        foreach (var command in commands)
        {
            CommandCodec.TryParse(command.Name, CommandCodec.Serialize(command), out var parsed, out var id, out var rejection)
                .Should().BeTrue(rejection?.Detail);
            id.Should().Be(command.Id);
            parsed.Should().Be(command);
        }

        CommandCodec.TryParse("config", CommandCodec.Serialize(commands[0]), out var config, out _, out _);
        JsonDocument.Parse(((ConfigCommand)config!).AgentSection).RootElement.GetProperty("Devices")[0].GetProperty("UnitId").GetInt32()
            .Should().Be(3);
    }

    [Fact]
    public void The_protocol_example_of_a_warn_command_parses()
    {
        var payload = """{"v":1,"id":"7f3c9a","target":"noise-courtyard","message":"quiet-hours"}"""u8;

        CommandCodec.TryParse("warn", payload, out var command, out _, out _).Should().BeTrue();

        command.Should().Be(new WarnCommand("7f3c9a", "noise-courtyard", "quiet-hours", null));
        Topics.Command("haizhu", "gw-01", "warn").Should().Be("edgesafety/v1/haizhu/gw-01/commands/warn");
        Topics.TryParseCommand("edgesafety/v1/haizhu/gw-01/commands/warn", out var topic).Should().BeTrue();
        topic.Should().Be(new CommandTopic("haizhu", "gw-01", "warn"));
        Topics.TryParseReply("edgesafety/v1/haizhu/gw-01/commands/warn", out _).Should().BeFalse();
    }

    [Theory]
    [InlineData("reboot", """{"v":1,"id":"a"}""", RejectionReason.UnknownTopic, "a")]
    [InlineData("warn", "{\"v\":1,\"id\":\"a\",\"target\":\"n1\"", RejectionReason.NotJson, null)]
    [InlineData("warn", """[1]""", RejectionReason.WrongType, null)]
    [InlineData("warn", """{"v":1,"target":"n1","message":"k"}""", RejectionReason.MissingField, null)]
    [InlineData("warn", """{"v":1,"id":"a b","target":"n1","message":"k"}""", RejectionReason.InvalidValue, null)]
    [InlineData("warn", """{"v":2,"id":"a","target":"n1","message":"k"}""", RejectionReason.UnsupportedVersion, "a")]
    [InlineData("warn", """{"v":1,"id":"a","message":"k"}""", RejectionReason.MissingField, "a")]
    [InlineData("warn", """{"v":1,"id":"a","target":"n1"}""", RejectionReason.MissingField, "a")]
    [InlineData("warn", """{"v":1,"id":"a","target":"n1","message":"k","text":"hi"}""", RejectionReason.MissingField, "a")]
    [InlineData("warn", """{"v":1,"id":"a","target":"n1","text":"line\nbreak"}""", RejectionReason.InvalidValue, "a")]
    [InlineData("warn", """{"v":1,"id":"a","target":"n1","text":""}""", RejectionReason.InvalidValue, "a")]
    [InlineData("warn", """{"v":1,"id":"a","target":"n1","message":"../etc"}""", RejectionReason.InvalidValue, "a")]
    [InlineData("warn", """{"v":1,"id":"a","target":"n1","message":7}""", RejectionReason.WrongType, "a")]
    [InlineData("config", """{"v":1,"id":"a"}""", RejectionReason.MissingField, "a")]
    [InlineData("config", """{"v":1,"id":"a","agent":"text"}""", RejectionReason.WrongType, "a")]
    public void A_malformed_command_is_refused_with_a_reason_and_its_id_when_readable(string name, string payload,
        RejectionReason reason, string? id)
    {
        CommandCodec.TryParse(name, Encoding.UTF8.GetBytes(payload), out var command, out var readId, out var rejection).Should().BeFalse();

        command.Should().BeNull();
        rejection!.Reason.Should().Be(reason, rejection.Detail);
        readId.Should().Be(id);
    }

    [Fact]
    public void Free_text_longer_than_the_limit_and_oversized_payloads_are_refused()
    {
        var longText = new WarnCommand("a", "n1", null, new string('x', CommandCodec.MaxWarnTextLength + 1));
        CommandCodec.TryParse("warn", CommandCodec.Serialize(longText), out _, out _, out var rejection).Should().BeFalse();
        rejection!.Reason.Should().Be(RejectionReason.InvalidValue);

        var huge = new byte[CommandCodec.MaxPayloadBytes + 1];
        CommandCodec.TryParse("config", huge, out _, out _, out rejection).Should().BeFalse();
        rejection!.Reason.Should().Be(RejectionReason.TooLarge);
    }

    [Fact]
    public void Replies_read_back_and_a_failed_one_must_say_why()
    {
        var result = JsonSerializer.SerializeToElement(new { uptime_seconds = 12 });
        var ok = new CommandReply("c-4", "diagnostics", true, null, result);
        var refused = new CommandReply("c-2", "warn", false, "rate limited until 2026-11-22T10:10:00Z");

        CommandCodec.TryParseReply(CommandCodec.SerializeReply(ok), out var okRead, out _).Should().BeTrue();
        CommandCodec.TryParseReply(CommandCodec.SerializeReply(refused), out var refusedRead, out _).Should().BeTrue();

        okRead!.Result!.Value.GetProperty("uptime_seconds").GetInt32().Should().Be(12);
        refusedRead.Should().Be(refused);
        CommandCodec.TryParseReply("""{"v":1,"id":"x","command":"warn","ok":false}"""u8, out _, out var rejection).Should().BeFalse();
        rejection!.Reason.Should().Be(RejectionReason.MissingField);
        CommandCodec.TryParseReply("""{"v":1,"id":"x","command":"warn","ok":"yes"}"""u8, out _, out rejection).Should().BeFalse();
        rejection!.Reason.Should().Be(RejectionReason.WrongType);
    }

    [Theory]
    [InlineData(RejectionReason.UnknownTopic, "unknown_topic")]
    [InlineData(RejectionReason.NotJson, "not_json")]
    [InlineData(RejectionReason.UnsupportedVersion, "unsupported_version")]
    public void Rejection_reasons_are_labelled_in_snake_case_as_the_protocol_lists_them(RejectionReason reason, string label) =>
        RejectionLabel.Of(reason).Should().Be(label);
}
