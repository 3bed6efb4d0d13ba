using System.Text.Json;
using EdgeSafety.Contracts;
using EdgeSafety.Devices;
using EdgeSafety.EdgeAgent;
using EdgeSafety.EdgeAgent.Commands;
using EdgeSafety.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeSafety.Fuzz.Targets;

/// <summary>
/// A command as the edge agent's CommandListener takes it: the topic must be a command topic of this gateway, the
/// payload goes through <see cref="CommandCodec.TryParse"/>, a config command is checked against what a push may change
/// (<see cref="PushedConfiguration"/>) and applied through the agent's own
/// <see cref="SiteConfiguration"/> (validated by the agent's validators, written to its site file, and its buses and read
/// plans built as the poller builds them), a warn command is checked against the devices (not played), and the reply
/// is written and read back as the sender reads it.
/// </summary>
public sealed class CommandsTarget : FuzzTarget, IDisposable
{
    private const string Site = "haizhu-demo";
    private const string Gateway = "gw-01";

    private readonly string _folder = Directory.CreateTempSubdirectory("edgesafety-fuzz-agent").FullName;
    private readonly string _profiles = Path.Combine(AppContext.BaseDirectory, "profiles");
    private readonly SiteConfiguration _site;
    private readonly string _validSection;

    public CommandsTarget() : base("commands", "agent: command topic + payload -> CommandCodec -> config applied / warn checked -> reply")
    {
        _validSection = JsonSerializer.Serialize(new
        {
            SiteId = Site,
            GatewayId = Gateway,
            ProfilesDirectory = _profiles,
            Buses = new[] { new { Name = "bus1", DevicePath = "/tmp/edgesafety-fuzz-bus1", BaudRate = 9600, Parity = "None", ResponseTimeoutMilliseconds = 500 } },
            TcpEndpoints = new[] { new { Name = "tcp1", Host = "127.0.0.1", Port = 1502 } },
            Devices = new object[]
            {
                new { Id = "meter-301", Bus = "bus1", UnitId = 1, Profile = "harmonic-meter", Unit = "room-301", PollIntervalMilliseconds = 1000 },
                new { Id = "noise-courtyard", Bus = "tcp1", UnitId = 10, Profile = "noise-sensor-hr0" },
            },
        });
        var file = Path.Combine(_folder, "site.json");
        File.WriteAllText(file, $$"""{"Agent":{{_validSection}}}""");

        var services = new ServiceCollection();
        services.AddValidatedOptions<AgentOptions>("Agent");
        services.AddSingleton<IValidateOptions<AgentOptions>, AgentOptionsReferences>();
        using var provider = services.BuildServiceProvider();
        var running = new AgentOptions();
        if (SiteConfiguration.TryBind(File.ReadAllBytes(file), running) is { } error)
        {
            throw new InvalidOperationException($"the fuzz target's own site configuration is invalid: {error}");
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(SiteConfiguration.FileSetting, file)]).Build();
        _site = new SiteConfiguration(Options.Create(running), [.. provider.GetServices<IValidateOptions<AgentOptions>>()], configuration,
            NullLogger<SiteConfiguration>.Instance);
    }

    public override byte[] Generate(Random random)
    {
        var id = Generators.Id(random);
        GatewayCommand command = random.Next(3) switch
        {
            0 => new ConfigCommand(id, _validSection),
            1 => new WarnCommand(id, random.Chance(0.7) ? "noise-courtyard" : Generators.Id(random),
                random.Chance(0.5) ? Generators.Id(random) : null, random.Chance(0.5) ? null : random.Pick(["Please keep the noise down.", "请保持安静", "x"])),
            _ => new DiagnosticsCommand(id),
        };
        var topic = random.Chance(0.9)
            ? Topics.Command(Site, Gateway, command.Name)
            : Topics.Command(Generators.Id(random), Generators.Id(random), random.Chance(0.5) ? command.Name : Generators.Id(random));
        return Join(Generators.MutateTopic(random, topic), Mutator.MutateJson(random, CommandCodec.Serialize(command)));
    }

    public override void Run(byte[] input, Tally tally)
    {
        var (topicText, payload) = Split(input);
        if (!Topics.TryParseCommand(topicText, out var topic) || topic.Site != Site || topic.Gateway != Gateway)
        {
            tally.Reject("unknown_topic");
            return;
        }

        if (!CommandCodec.TryParse(topic.Command, payload, out var command, out var id, out var rejection))
        {
            tally.Reject(RejectionLabel.Of(rejection!.Reason));
            if (id is not null)
            {
                CheckReply(new CommandReply(id, topic.Command, false, $"{RejectionLabel.Of(rejection.Reason)}: {rejection.Detail}"));
            }

            return;
        }

        string? error = null;
        switch (command)
        {
            case ConfigCommand config:
                var (refusals, document) = PushedConfiguration.Check(config.AgentSection, _site.Current);
                if (refusals.Count > 0)
                {
                    error = "setting_not_allowed: " + string.Join("; ", refusals);
                    tally.Reject("setting_not_allowed");
                    break;
                }

                var errors = _site.ApplyAsync(document, CancellationToken.None).GetAwaiter().GetResult();
                if (errors.Count > 0)
                {
                    error = string.Join("; ", errors);
                    tally.Reject("config_refused");
                }
                else
                {
                    BuildAsPollerDoes(_site.Current);
                    tally.Accept();
                }

                break;
            case WarnCommand warn when !_site.Current.Devices.Any(d => d.Id == warn.Target):
                error = $"target '{warn.Target}' is not a device of this gateway";
                tally.Reject("warn_unknown_target");
                break;
            default:
                tally.Accept();
                break;
        }

        CheckReply(new CommandReply(command!.Id, command.Name, error is null, error));
    }

    public void Dispose()
    {
        _site.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>What BusPoller does with an applied configuration before it opens a port: profiles, buses, read plans.</summary>
    private static void BuildAsPollerDoes(AgentOptions options)
    {
        var profiles = DeviceProfiles.Load(Options.Create(options));
        _ = options.AllBuses().ToList();
        foreach (var device in options.Devices)
        {
            _ = ReadPlan.For(profiles[device.Profile]);
        }
    }

    /// <summary>The reply as the agent publishes it must read back as the sender reads it.</summary>
    private static void CheckReply(CommandReply reply)
    {
        if (!CommandCodec.TryParseReply(CommandCodec.SerializeReply(reply), out _, out var rejection))
        {
            throw new FuzzInvariantException($"the agent's reply is refused by its sender: {rejection}");
        }
    }
}
