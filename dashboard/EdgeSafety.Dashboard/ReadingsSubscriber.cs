using EdgeSafety.Contracts;
using EdgeSafety.Mqtt;
using EdgeSafety.ServiceDefaults;

namespace EdgeSafety.Dashboard;

/// <summary>
/// Follows every reading on the broker for the live page. It validates with the same codec as ingest and
/// counts what it refuses; it stores nothing (that is ingest's job). It connects in the background, so the page is
/// served (showing "waiting") while the broker is still down.
/// </summary>
public sealed partial class ReadingsSubscriber(
    MqttClient mqtt,
    LiveReadings live,
    ServiceMetrics metrics,
    TimeProvider time,
    ILogger<ReadingsSubscriber> logger) : BackgroundService
{
    private readonly MetricCounter _rejected = metrics.Counter("dashboard_messages_rejected_total", "Messages the dashboard could not show, by reason.");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        mqtt.MessageReceived = OnMessage;
        await mqtt.ConnectAsync(stoppingToken);
        await mqtt.SubscribeAsync(Topics.AllReadings, MqttQos.AtMostOnce, stoppingToken);
        LogSubscribed(Topics.AllReadings);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await mqtt.DisconnectAsync();
    }

    private void OnMessage(MqttMessage message)
    {
        if (ReadingCodec.TryParse(message.Topic, message.Payload, time.GetUtcNow(), out var source, out var reading, out var rejection))
        {
            live.Update(source, reading!);
            return;
        }

        _rejected.Increment(rejection!.Reason.ToString());
        LogRejected(message.Topic, rejection.Detail);
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Following {Filter}")]
    private partial void LogSubscribed(string filter);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Ignored a message on {Topic}: {Detail}")]
    private partial void LogRejected(string topic, string detail);
}
