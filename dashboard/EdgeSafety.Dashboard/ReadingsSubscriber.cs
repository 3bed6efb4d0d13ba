using EdgeSafety.Contracts;
using EdgeSafety.Mqtt;
using EdgeSafety.ServiceDefaults;

namespace EdgeSafety.Dashboard;

/// <summary>
/// Follows every reading on the broker for the live page. It validates with the same codec as ingest and counts what
/// it refuses; it stores nothing (that is ingest's job).
/// </summary>
public sealed partial class ReadingsSubscriber(
    MqttClient mqtt,
    LiveReadings live,
    ServiceMetrics metrics,
    TimeProvider time,
    ILogger<ReadingsSubscriber> logger) : TopicSubscriber(mqtt, Topics.EveryReading, MqttQos.AtMostOnce, logger)
{
    private readonly MetricCounter _rejected = metrics.Counter("dashboard_messages_rejected_total", "Messages the dashboard could not show, by reason.");

    protected override void OnMessage(MqttMessage message)
    {
        if (ReadingCodec.TryParse(message.Topic, message.Payload, time.GetUtcNow(), out var source, out var reading, out var rejection))
        {
            live.Update(source, reading!);
            return;
        }

        _rejected.Increment(rejection!.Reason.ToString());
        LogRejected(Logger, message.Topic, rejection.Detail);
    }

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Ignored a message on {Topic}: {Detail}")]
    private static partial void LogRejected(ILogger logger, string topic, string detail);
}
