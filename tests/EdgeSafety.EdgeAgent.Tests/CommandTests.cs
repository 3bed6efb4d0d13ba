using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeSafety.Contracts;
using EdgeSafety.Mqtt;
using EdgeSafety.TestSupport;

namespace EdgeSafety.EdgeAgent.Tests;

/// <summary>
/// Commands from the platform to a running agent (its own process, on the simulated bus and a real mosquitto), sent
/// and answered as ingest or the dashboard would, through the Contracts' CommandCodec. The warning player is a small
/// script that appends its argv to a file, one argument per line.
/// </summary>
public sealed class CommandTests : IAsyncLifetime
{
    private const string Site = "haizhu-demo";
    private const string Gateway = "gw-01";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly TemporaryDirectory _folder = new("agent-commands");
    private readonly ConcurrentDictionary<string, CommandReply> _replies = new(StringComparer.Ordinal);
    private readonly HttpClient _http = new();
    private SimulatedSite _site = null!;
    private ReadingsSubscriber _readings = null!;
    private MqttClient _platform = null!;
    private ExternalProcess _agent = null!;
    private int _agentPort;

    private string PlayedFile => _folder.Combine("played.txt");

    private string SiteFile => _folder.Combine("site.json");

    public async Task InitializeAsync()
    {
        _site = await SimulatedSite.StartAsync();
        _readings = await ReadingsSubscriber.StartAsync(_site.Broker);
        var player = PlayerScript.RecordingArguments(_folder.Combine("player.sh"), PlayedFile);
        await File.WriteAllTextAsync(SiteFile, SiteDocument(["meter-301", "noise-courtyard"]));

        _agentPort = LoopbackPort.Next();
        _agent = ServiceProcess.Start("EdgeSafety.EdgeAgent", _agentPort,
            $"--Mqtt:Port={_site.Broker.Port}", "--Mqtt:ReconnectDelayMaxSeconds=1",
            $"--SiteConfigurationFile={SiteFile}",
            $"--Warning:Player={player}", "--Warning:Arguments:0=-v", "--Warning:Arguments:1=zh", "--Warning:Arguments:2={message}",
            "--Warning:Messages:quiet-hours:Text=请保持安静 (quiet hours)", "--Warning:AllowFreeText=true");

        _platform = new MqttClient(new MqttClientOptions { Port = _site.Broker.Port, ClientId = "test-platform" }, new RecordingLogger<MqttClient>());
        _platform.MessageReceived = message =>
        {
            if (Topics.TryParseReply(message.Topic, out _) && CommandCodec.TryParseReply(message.Payload, out var reply, out _))
            {
                _replies[reply!.Id] = reply;
            }
        };
        await _platform.ConnectAsync(CancellationToken.None);
        await _platform.SubscribeAsync(Topics.AllReplies, MqttQos.AtLeastOnce);
        await ServiceProcess.WaitUntilHealthyAsync(_agent, _agentPort, Bound);
        await _agent.WaitForOutputAsync("Listening for commands", Bound);
        await Eventually.SucceedsAsync(() => _readings.Arrivals("meter-301").Should().NotBeEmpty(), Bound, "the agent polling");
    }

    public async Task DisposeAsync()
    {
        _agent.Dispose();
        await _platform.DisposeAsync();
        await _readings.DisposeAsync();
        await _site.DisposeAsync();
        _http.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task Diagnostics_report_version_devices_store_and_broker_connection()
    {
        var reply = await SendAsync(new DiagnosticsCommand("diag-1"));

        reply.Ok.Should().BeTrue();
        var result = reply.Result!.Value;
        result.GetProperty("version").GetString().Should().NotBeNullOrEmpty();
        result.GetProperty("gateway").GetString().Should().Be(Gateway);
        result.GetProperty("uptime_seconds").GetDouble().Should().BeGreaterThanOrEqualTo(0);
        result.GetProperty("mqtt").GetProperty("connected").GetBoolean().Should().BeTrue();
        result.GetProperty("store").GetProperty("records").GetInt64().Should().BeGreaterThanOrEqualTo(0);
        var devices = result.GetProperty("devices").EnumerateArray().ToList();
        devices.Select(d => d.GetProperty("id").GetString()).Should().Equal("meter-301", "noise-courtyard");
        devices[0].GetProperty("state").GetString().Should().Be("answering");
        devices[0].GetProperty("last_reading").GetDateTime().Should().BeAfter(DateTime.UtcNow.AddMinutes(-1));
        result.GetProperty("buses")[0].GetProperty("transactions").GetInt64().Should().BeGreaterThan(0, "the bus has been polled");
    }

    [Fact]
    public async Task A_warning_runs_the_player_with_the_text_as_one_argument_once_and_a_second_one_within_the_interval_is_refused()
    {
        const string Hostile = "Quiet please\"; touch /tmp/es-pwned $(id) `id` | rm -rf ~";
        var first = new WarnCommand("warn-1", "noise-courtyard", null, Hostile);

        var played = await SendAsync(first);
        var repeated = await SendAsync(first, expectNewReply: false);
        var limited = await SendAsync(new WarnCommand("warn-2", "noise-courtyard", "quiet-hours", null));

        played.Should().Be(new CommandReply("warn-1", "warn", true, null));
        repeated.Should().Be(played, "a redelivered command gets its first answer again");
        (await File.ReadAllLinesAsync(PlayedFile)).Should().Equal(["-v", "zh", Hostile, "---"],
            "the player ran once, with the text as one argv entry and no shell to interpret it");
        File.Exists("/tmp/es-pwned").Should().BeFalse();
        limited.Ok.Should().BeFalse();
        limited.Error.Should().StartWith("rate limited until ").And.Contain("noise-courtyard was warned at");
        (await MetricAsync("agent_commands_rejected_total{reason=\"duplicate\"}")).Should().Be(1);
        (await MetricAsync("agent_commands_failed_total{command=\"warn\"}")).Should().Be(1);
    }

    [Fact]
    public async Task Malformed_commands_are_answered_with_the_reason_when_they_have_an_id_counted_and_never_run()
    {
        await PublishAsync("warn", "not json at all"u8.ToArray());
        var unknownKey = await SendRawAsync("warn", "bad-1", """{"v":1,"id":"bad-1","target":"noise-courtyard","message":"fire-alarm"}""");
        var unknownTarget = await SendRawAsync("warn", "bad-2", """{"v":1,"id":"bad-2","target":"meter-999","message":"quiet-hours"}""");
        var tooLong = await SendRawAsync("warn", "bad-3", $$"""{"v":1,"id":"bad-3","target":"noise-courtyard","text":"{{new string('x', 150)}}"}""");
        var unknownCommand = await SendRawAsync("reboot", "bad-4", """{"v":1,"id":"bad-4"}""");
        var wrongVersion = await SendRawAsync("diagnostics", "bad-5", """{"v":9,"id":"bad-5"}""");

        unknownKey.Error.Should().Be("no recorded message 'fire-alarm' on this gateway (configured: quiet-hours)");
        unknownTarget.Error.Should().Be("target 'meter-999' is not a device of this gateway");
        tooLong.Error.Should().Be("the text is 150 characters; this gateway plays at most 120");
        unknownCommand.Error.Should().StartWith("unknown_topic: 'reboot' is not a command");
        wrongVersion.Error.Should().StartWith("unsupported_version: v is 9");
        new[] { unknownKey, unknownTarget, tooLong, unknownCommand, wrongVersion }.Should().OnlyContain(r => !r.Ok);
        await Eventually.SucceedsAsync(async () => (await MetricAsync("agent_commands_rejected_total{reason=\"not_json\"}")).Should().Be(1),
            Bound, "the payload that is not JSON counted");
        File.Exists(PlayedFile).Should().BeFalse("no warning was played");
        _agent.HasExited.Should().BeFalse();
    }

    [Fact]
    public async Task A_valid_configuration_push_applies_without_a_restart_and_an_invalid_one_is_refused_keeping_the_old_one()
    {
        var refused = await SendAsync(new ConfigCommand("cfg-1", AgentSection(["meter-301", "noise-courtyard", "meter-302"], bus: "bus9")));
        var before = DateTimeOffset.UtcNow;
        await Eventually.SucceedsAsync(() => _readings.Arrivals("meter-301").Should().Contain(r => r.Timestamp > before),
            Bound, "meter-301 still polled after the refused push");

        var applied = await SendAsync(new ConfigCommand("cfg-2", AgentSection(["meter-301", "noise-courtyard", "meter-302"])));

        refused.Ok.Should().BeFalse();
        refused.Error.Should().Contain("bus9");
        applied.Should().Be(new CommandReply("cfg-2", "config", true, null));
        await Eventually.SucceedsAsync(() => _readings.Arrivals("meter-302").Should().NotBeEmpty(), Bound, "readings of the device added by the push");
        _readings.Arrivals("meter-302").Should().NotBeEmpty();
        (await File.ReadAllTextAsync(SiteFile)).Should().Contain("meter-302", "the site file holds the applied configuration for the next start");
        _agent.HasExited.Should().BeFalse();
    }

    [Fact]
    public async Task A_configuration_push_setting_what_a_push_may_not_change_is_refused_counted_and_logged_and_nothing_changes()
    {
        // A folder of valid profiles elsewhere on the gateway: without the allow-list the push would apply.
        var elsewhere = _folder.Combine("elsewhere-profiles");
        Directory.CreateDirectory(elsewhere);
        foreach (var profile in Directory.GetFiles(Path.Combine(ServiceProcess.OutputDirectory("EdgeSafety.EdgeAgent"), "profiles")))
        {
            File.Copy(profile, Path.Combine(elsewhere, Path.GetFileName(profile)));
        }

        var section = JsonNode.Parse(AgentSection(["meter-301", "noise-courtyard", "meter-302"]))!.AsObject();
        section["ProfilesDirectory"] = elsewhere;
        section["Buses"]![0]!["DevicePath"] = "/etc/passwd";
        section["Warning"] = new JsonObject { ["Player"] = "/bin/sh" };
        var siteFile = await File.ReadAllTextAsync(SiteFile);

        var refused = await SendAsync(new ConfigCommand("cfg-3", section.ToJsonString()));

        refused.Ok.Should().BeFalse();
        refused.Error.Should().StartWith("setting_not_allowed: ")
            .And.Contain("Agent.ProfilesDirectory: the profiles folder is set on the gateway, a push may not change it")
            .And.Contain("Agent.Buses[0].DevicePath: '/etc/passwd' is neither a serial port of the running configuration nor a serial device")
            .And.Contain("Agent.Warning.Player: not a setting a configuration push may change");
        (await MetricAsync("agent_commands_rejected_total{reason=\"setting_not_allowed\"}")).Should().Be(1);
        _agent.Output.Should().Contain($"Command on {Topics.Command(Site, Gateway, "config")} refused (setting_not_allowed): ");
        (await File.ReadAllTextAsync(SiteFile)).Should().Be(siteFile, "nothing of the refused push is written");
        var again = await SendAsync(new ConfigCommand("cfg-3", section.ToJsonString()), expectNewReply: false);
        again.Should().Be(refused, "a repeat gets the first answer");
        _agent.HasExited.Should().BeFalse();
    }

    private string SiteDocument(string[] devices) => $$"""{"Agent":{{AgentSection(devices)}}}""";

    /// <summary>The shipped demo site (appsettings.json) with the given devices, on the test's serial line.</summary>
    private string AgentSection(string[] devices, string bus = "bus1")
    {
        var units = new Dictionary<string, (int Unit, string Profile)>
        {
            ["meter-301"] = (1, "harmonic-meter"),
            ["meter-302"] = (2, "harmonic-meter"),
            ["noise-courtyard"] = (10, "noise-sensor-hr0"),
        };
        return JsonSerializer.Serialize(new
        {
            SiteId = Site,
            GatewayId = Gateway,
            Buses = new[] { new { Name = "bus1", DevicePath = _site.Line.MasterPath, BaudRate = 9600 } },
            Devices = devices.Select(d => new { Id = d, Bus = d == "meter-302" ? bus : "bus1", UnitId = units[d].Unit, Profile = units[d].Profile, PollIntervalMilliseconds = 200 }),
        });
    }

    private Task<CommandReply> SendAsync(GatewayCommand command, bool expectNewReply = true) =>
        SendAndWaitAsync(command.Name, command.Id, CommandCodec.Serialize(command), expectNewReply);

    private Task<CommandReply> SendRawAsync(string name, string id, string payload) =>
        SendAndWaitAsync(name, id, Encoding.UTF8.GetBytes(payload), expectNewReply: true);

    private async Task<CommandReply> SendAndWaitAsync(string name, string id, byte[] payload, bool expectNewReply)
    {
        var earlier = _replies.GetValueOrDefault(id);
        _replies.TryRemove(id, out _);
        await PublishAsync(name, payload);
        var reply = await Eventually.ReturnsAsync(() => Task.FromResult(_replies.GetValueOrDefault(id)), Bound, $"the reply to {name} {id}");
        if (!expectNewReply)
        {
            earlier.Should().NotBeNull("a repeat is sent after a first answer");
        }

        return reply;
    }

    private Task PublishAsync(string command, byte[] payload) =>
        _platform.PublishAsync(Topics.Command(Site, Gateway, command), payload, MqttQos.AtLeastOnce);

    private Task<double> MetricAsync(string sample) =>
        PrometheusText.ReadAsync(_http, new Uri($"http://127.0.0.1:{_agentPort}/metrics"), sample);
}
