using EdgeSafety.Contracts;
using EdgeSafety.Dashboard.Gateways;
using EdgeSafety.Mqtt;
using EdgeSafety.ServiceDefaults;

namespace EdgeSafety.Dashboard.Live;

/// <summary>
/// Follows every reading on the broker for the live pages. It validates with the same codec as ingest and counts
/// what it refuses; it stores nothing (that is ingest's job). At most once: a reading lost on a reconnect is
/// replaced by the next one a second later.
/// </summary>
public sealed partial class ReadingsSubscriber(MqttClient mqtt, LiveHub live, ServiceMetrics metrics, TimeProvider time, ILogger<ReadingsSubscriber> logger)
    : TopicSubscriber(mqtt, Topics.EveryReading, MqttQos.AtMostOnce, logger)
{
    private readonly MetricCounter _received = metrics.Counter("dashboard_messages_received_total", "Readings messages received from the broker.");
    private readonly MetricCounter _rejected = metrics.Counter("dashboard_messages_rejected_total", "Messages the dashboard could not show, by reason.");

    protected override void OnMessage(MqttMessage message)
    {
        _received.Increment();
        if (ReadingCodec.TryParse(message.Topic, message.Payload, time.GetUtcNow(), out var source, out var reading, out var rejection))
        {
            live.Update(source, reading!);
            return;
        }

        _rejected.Increment(RejectionLabel.Of(rejection!.Reason));
        LogRejected(Logger, message.Topic, rejection.Detail);
    }

    [LoggerMessage(EventId = 3010, Level = LogLevel.Debug, Message = "Ignored a message on {Topic}: {Detail}")]
    private static partial void LogRejected(ILogger logger, string topic, string detail);
}

/// <summary>
/// The control connection: gateways' retained status, device events and command replies, at least once. Commands
/// are published on it too (<see cref="GatewayCommands"/>), so a reply comes back on the connection that asked.
/// </summary>
public sealed partial class ControlSubscriber(MqttClient mqtt, LiveHub live, GatewayCommands commands, ServiceMetrics metrics, TimeProvider time,
    ILogger<ControlSubscriber> logger) : TopicSubscriber(mqtt, [Topics.AllStatus, Topics.AllEvents, Topics.AllReplies], MqttQos.AtLeastOnce, logger)
{
    private readonly MetricCounter _rejected = metrics.Counter("dashboard_control_messages_rejected_total",
        "Status, event and reply messages the dashboard could not read, by reason.");

    protected override void OnMessage(MqttMessage message)
    {
        var now = time.GetUtcNow();
        if (GatewayStatus.TryParse(message.Topic, message.Payload, out var site, out var gateway, out var online, out var warnings))
        {
            live.Update(site, gateway, online, warnings, now);
        }
        else if (Topics.TryParseEvents(message.Topic, out _))
        {
            if (DeviceEventCodec.TryParse(message.Topic, message.Payload, now, out var source, out var deviceEvent, out var rejection))
            {
                live.Update(source, deviceEvent!);
            }
            else
            {
                Reject(message.Topic, RejectionLabel.Of(rejection!.Reason), rejection.Detail);
            }
        }
        else if (Topics.TryParseReply(message.Topic, out var command))
        {
            if (CommandCodec.TryParseReply(message.Payload, out var reply, out var rejection))
            {
                commands.Complete(command.Site, command.Gateway, reply!);
            }
            else
            {
                Reject(message.Topic, RejectionLabel.Of(rejection!.Reason), rejection.Detail);
            }
        }
        else
        {
            Reject(message.Topic, "not_status", "not a gateway status of protocol version 1");
        }
    }

    private void Reject(string topic, string reason, string detail)
    {
        _rejected.Increment(reason);
        LogRejected(Logger, topic, detail);
    }

    [LoggerMessage(EventId = 3011, Level = LogLevel.Debug, Message = "Ignored a message on {Topic}: {Detail}")]
    private static partial void LogRejected(ILogger logger, string topic, string detail);
}
