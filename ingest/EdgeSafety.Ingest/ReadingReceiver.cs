using EdgeSafety.Contracts;
using EdgeSafety.Mqtt;

namespace EdgeSafety.Ingest;

/// <summary>
/// Subscribes to every gateway's readings and validates each message. A refused message is counted by
/// reason and logged, and processing goes on: one bad publisher never stops a district's ingest. It connects in
/// the background, so ingest starts (and answers /healthz) while the broker is still down.
/// </summary>
public sealed partial class ReadingReceiver(
    MqttClient mqtt,
    ReadingQueue queue,
    IngestMetrics metrics,
    TimeProvider time,
    ILogger<ReadingReceiver> logger) : BackgroundService
{
    private CancellationToken _stopping;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        mqtt.MessageReceived = OnMessage;
        await mqtt.ConnectAsync(stoppingToken);
        await mqtt.SubscribeAsync(Topics.AllReadings, MqttQos.AtLeastOnce, stoppingToken);
        LogSubscribed(Topics.AllReadings);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await mqtt.DisconnectAsync();
    }

    private void OnMessage(MqttMessage message)
    {
        metrics.Received.Increment();
        if (ReadingCodec.TryParse(message.Topic, message.Payload, time.GetUtcNow(), out var source, out var reading, out var rejection))
        {
            queue.Add(new ReceivedReading(source, reading!), _stopping);
            return;
        }

        metrics.Rejected.Increment(ReasonLabel(rejection!.Reason));
        LogRejected(message.Topic, rejection.Reason, rejection.Detail);
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

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Subscribed to {Filter}")]
    private partial void LogSubscribed(string filter);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Rejected a message on {Topic}: {Reason} ({Detail})")]
    private partial void LogRejected(string topic, RejectionReason reason, string detail);
}
