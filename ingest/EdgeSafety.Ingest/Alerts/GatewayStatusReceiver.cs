using EdgeSafety.Alerts;
using EdgeSafety.Contracts;
using EdgeSafety.Mqtt;
using EdgeSafety.ServiceDefaults;

namespace EdgeSafety.Ingest.Alerts;

/// <summary>
/// Follows every gateway's retained status: "offline" (the gateway's will, published by the broker when it vanishes)
/// raises a GatewayOffline alert, "online" clears it. It has its own broker connection (client id with
/// "-status"), since one connection hands its messages to one subscriber.
/// </summary>
public sealed partial class GatewayStatusReceiver(MqttClient mqtt, AlertSignalQueue signals, AlertMetrics metrics, TimeProvider time,
    ILogger<GatewayStatusReceiver> logger) : TopicSubscriber(mqtt, [Topics.AllStatus], MqttQos.AtLeastOnce, logger)
{
    protected override void OnMessage(MqttMessage message)
    {
        if (!GatewayStatus.TryParse(message.Topic, message.Payload, out var site, out var gateway, out var online))
        {
            metrics.StatusRejected.Increment();
            LogRejected(Logger, message.Topic);
            return;
        }

        signals.Add(new AlertSignal(AlertKind.GatewayOffline, !online, site, gateway, "", null, time.GetUtcNow(),
            new Dictionary<string, string> { ["gateway"] = gateway, ["status"] = online ? "online" : "offline" }), Stopping);
    }

    [LoggerMessage(EventId = 6030, Level = LogLevel.Warning, Message = "Ignored a gateway status on {Topic} that is not a valid status message")]
    private static partial void LogRejected(ILogger logger, string topic);
}
