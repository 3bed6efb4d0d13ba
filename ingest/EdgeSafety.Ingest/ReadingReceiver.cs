using EdgeSafety.Contracts;
using EdgeSafety.Mqtt;
using EdgeSafety.ServiceDefaults;

namespace EdgeSafety.Ingest;

/// <summary>
/// Validates every reading from every gateway. A refused message is counted by reason and logged, and processing
/// goes on: one bad publisher never stops a district's ingest.
/// </summary>
public sealed partial class ReadingReceiver(
    MqttClient mqtt,
    ReadingQueue queue,
    IngestMetrics metrics,
    TimeProvider time,
    ILogger<ReadingReceiver> logger) : TopicSubscriber(mqtt, Topics.AllReadings, MqttQos.AtLeastOnce, logger)
{
    protected override void OnMessage(MqttMessage message)
    {
        metrics.Received.Increment();
        if (ReadingCodec.TryParse(message.Topic, message.Payload, time.GetUtcNow(), out var source, out var reading, out var rejection))
        {
            queue.Add(new ReceivedReading(source, reading!), Stopping);
            return;
        }

        metrics.Rejected.Increment(ReasonLabel(rejection!.Reason));
        LogRejected(Logger, message.Topic, rejection.Reason, rejection.Detail);
    }
    /// <summary>Prometheus label values are snake_case.</summary>
    public static string ReasonLabel(RejectionReason reason) => reason switch
    {
        RejectionReason.UnknownTopic => "unknown_topic",
        RejectionReason.TooLarge => "too_large",
        RejectionReason.NotJson => "not_json",
        RejectionReason.UnsupportedVersion => "unsupported_version",
        RejectionReason.MissingField => "missing_field",
        RejectionReason.WrongType => "wrong_type",
        RejectionReason.InvalidValue => "invalid_value",
        RejectionReason.TopicMismatch => "topic_mismatch",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Rejected a message on {Topic}: {Reason} ({Detail})")]
    private static partial void LogRejected(ILogger logger, string topic, RejectionReason reason, string detail);
}
