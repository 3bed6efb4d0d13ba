using System.Threading.Channels;
using EdgeSafety.Contracts;
using EdgeSafety.Mqtt;
using EdgeSafety.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace EdgeSafety.EdgeAgent.Commands;

/// <summary>
/// Takes the platform's commands to this gateway (docs/protocol.md, "Commands"), runs them one at a time in arrival
/// order, and answers each on its reply topic. A malformed command is counted, logged and, when its id can be read,
/// answered with the reason; a repeated id (a QoS 1 redelivery, a sender's retry) gets the first answer again and is
/// not run twice.
/// </summary>
/// <remarks>
/// Commands are taken off the MQTT network thread at once (running one there would stall the connection): the broker
/// has its PUBACK when the command is queued here, so a command in this queue when the agent dies is lost, and its
/// sender sees no reply. Commands are few; a full queue refuses more, counted as "busy".
/// </remarks>
public sealed partial class CommandListener(
    MqttClient mqtt,
    IOptions<AgentOptions> options,
    SiteConfiguration site,
    WarningPlayer warnings,
    AgentDiagnostics diagnostics,
    ServiceMetrics metrics,
    ILogger<CommandListener> logger) : BackgroundService
{
    private const int QueueCapacity = 16;

    /// <summary>The rejection of a configuration push that sets what a push may not change (<see cref="PushedConfiguration"/>).</summary>
    private const string SettingNotAllowed = "setting_not_allowed";

    /// <summary>How many answered commands are remembered to recognise a repeat: far more than arrive in a redelivery window.</summary>
    private const int RememberedReplies = 256;

    private readonly Channel<MqttMessage> _queue = Channel.CreateBounded<MqttMessage>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, SingleWriter = true });

    private readonly Dictionary<string, CommandReply> _answered = new(StringComparer.Ordinal);
    private readonly Queue<string> _answeredOrder = new();

    private readonly MetricCounter _executed = metrics.Counter("agent_commands_total", "Commands run, by command (whatever their outcome).", "command");
    private readonly MetricCounter _failed = metrics.Counter("agent_commands_failed_total",
        "Commands run and answered ok:false (configuration refused, warning rate limited or failing), by command.", "command");
    private readonly MetricCounter _rejected = metrics.Counter("agent_commands_rejected_total",
        "Commands not run: malformed (by codec reason), for another gateway, repeated (duplicate), arriving while the queue was full (busy) "
        + "or a configuration push setting what a push may not change (setting_not_allowed).");

    /// <summary>
    /// Subscribes before the hosted Publisher connects (this service is registered first): a persistent session hands
    /// over commands queued at the broker right after the CONNACK, and they must find the handler in place.
    /// </summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        mqtt.MessageReceived = Enqueue;
        var settings = options.Value;
        _ = SubscribeAsync(Topics.AllCommands(settings.SiteId, settings.GatewayId));
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var message in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                await HandleAsync(message, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task SubscribeAsync(string filter)
    {
        try
        {
            await mqtt.SubscribeAsync(filter, MqttQos.AtLeastOnce);
            LogListening(filter);
        }
        catch (Exception ex) when (ex is MqttException or OperationCanceledException or ObjectDisposedException)
        {
            LogSubscribeFailed(filter, ex.Message);
        }
    }

    /// <summary>On the MQTT network thread: never blocks.</summary>
    private void Enqueue(MqttMessage message)
    {
        if (!_queue.Writer.TryWrite(message))
        {
            _rejected.Increment("busy");
            LogBusy(message.Topic);
        }
    }

    private async Task HandleAsync(MqttMessage message, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!Topics.TryParseCommand(message.Topic, out var topic) || topic.Site != settings.SiteId || topic.Gateway != settings.GatewayId)
        {
            _rejected.Increment("unknown_topic");
            LogRejected(message.Topic, "unknown_topic", "not a command topic of this gateway");
            return;
        }

        if (!CommandCodec.TryParse(topic.Command, message.Payload, out var command, out var id, out var rejection))
        {
            var reason = RejectionLabel.Of(rejection!.Reason);
            _rejected.Increment(reason);
            LogRejected(message.Topic, reason, rejection.Detail);
            if (id is not null)
            {
                await ReplyAsync(new CommandReply(id, topic.Command, false, $"{reason}: {rejection.Detail}"), stoppingToken);
            }

            return;
        }

        var key = $"{command!.Name}/{command.Id}";
        if (_answered.TryGetValue(key, out var earlier))
        {
            _rejected.Increment("duplicate");
            LogDuplicate(command.Name, command.Id);
            await ReplyAsync(earlier, stoppingToken);
            return;
        }

        var siteDocument = "";
        if (command is ConfigCommand config)
        {
            var (refusals, document) = PushedConfiguration.Check(config.AgentSection, site.Current);
            if (refusals.Count > 0)
            {
                var detail = string.Join("; ", refusals);
                _rejected.Increment(SettingNotAllowed);
                LogRejected(message.Topic, SettingNotAllowed, detail);
                var refused = new CommandReply(command.Id, command.Name, false, $"{SettingNotAllowed}: {detail}");
                Remember(key, refused);
                await ReplyAsync(refused, stoppingToken);
                return;
            }

            siteDocument = document;
        }

        _executed.Increment(command.Name);
        var reply = await RunAsync(command, siteDocument, stoppingToken);
        if (!reply.Ok)
        {
            _failed.Increment(command.Name);
        }

        LogAnswered(command.Name, command.Id, reply.Ok, reply.Error ?? "ok");
        Remember(key, reply);
        await ReplyAsync(reply, stoppingToken);
    }

    /// <summary>Runs a command; a config command applies <paramref name="siteDocument"/>, its section as <see cref="PushedConfiguration"/> allowed it.</summary>
    private async Task<CommandReply> RunAsync(GatewayCommand command, string siteDocument, CancellationToken stoppingToken)
    {
        string? error;
        switch (command)
        {
            case ConfigCommand:
                var errors = await site.ApplyAsync(siteDocument, stoppingToken);
                error = errors.Count == 0 ? null : string.Join("; ", errors);
                break;
            case WarnCommand warn:
                error = site.Current.Devices.Any(d => d.Id == warn.Target)
                    ? await warnings.PlayAsync(warn, stoppingToken)
                    : $"target '{warn.Target}' is not a device of this gateway";
                break;
            default:
                return new CommandReply(command.Id, command.Name, true, null, diagnostics.Collect());
        }

        return new CommandReply(command.Id, command.Name, error is null, error);
    }

    private async Task ReplyAsync(CommandReply reply, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        try
        {
            await mqtt.PublishAsync(Topics.Reply(settings.SiteId, settings.GatewayId, reply.Command), CommandCodec.SerializeReply(reply),
                MqttQos.AtLeastOnce, retain: false, stoppingToken);
        }
        catch (Exception ex) when (ex is MqttException or ObjectDisposedException || (ex is OperationCanceledException && !stoppingToken.IsCancellationRequested))
        {
            LogReplyFailed(reply.Command, reply.Id, ex.Message);
        }
    }

    private void Remember(string key, CommandReply reply)
    {
        _answered[key] = reply;
        _answeredOrder.Enqueue(key);
        if (_answeredOrder.Count > RememberedReplies)
        {
            _answered.Remove(_answeredOrder.Dequeue());
        }
    }

    [LoggerMessage(EventId = 1511, Level = LogLevel.Information, Message = "Listening for commands on {Filter}")]
    private partial void LogListening(string filter);

    [LoggerMessage(EventId = 1512, Level = LogLevel.Error, Message = "Could not subscribe to commands on {Filter}: {Error}")]
    private partial void LogSubscribeFailed(string filter, string error);

    [LoggerMessage(EventId = 1513, Level = LogLevel.Warning, Message = "Command on {Topic} refused ({Reason}): {Detail}")]
    private partial void LogRejected(string topic, string reason, string detail);

    [LoggerMessage(EventId = 1514, Level = LogLevel.Warning, Message = "Command on {Topic} refused: {Capacity} commands are already waiting")]
    private partial void LogBusyCore(string topic, int capacity);

    private void LogBusy(string topic) => LogBusyCore(topic, QueueCapacity);

    [LoggerMessage(EventId = 1515, Level = LogLevel.Information, Message = "Command {Command} {Id} seen before: answered again, not run again")]
    private partial void LogDuplicate(string command, string id);

    [LoggerMessage(EventId = 1516, Level = LogLevel.Information, Message = "Command {Command} {Id} answered ok={Ok}: {Outcome}")]
    private partial void LogAnswered(string command, string id, bool ok, string outcome);

    [LoggerMessage(EventId = 1517, Level = LogLevel.Warning, Message = "Reply to command {Command} {Id} not sent: {Error}")]
    private partial void LogReplyFailed(string command, string id, string error);
}
