using EdgeSafety.Alerts;
using EdgeSafety.Contracts;
using EdgeSafety.Mqtt;
using EdgeSafety.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace EdgeSafety.Ingest.Alerts;

/// <summary>
/// Follows every gateway's retained status: "offline" (the gateway's will, published by the broker when it vanishes)
/// raises a GatewayOffline alert, "online" clears it. Every instance receives every status, and only the one that
/// takes the gateway's partition acts on it (docs/scale-out.md). It has its own broker connection (client id with
/// "-status"), since one connection hands its messages to one subscriber.
/// </summary>
public sealed partial class GatewayStatusReceiver(MqttClient mqtt, AlertSignalQueue signals, AlertMetrics metrics, IOptions<IngestOptions> options,
    TimeProvider time, ILogger<GatewayStatusReceiver> logger) : TopicSubscriber(mqtt, [Topics.AllStatus], MqttQos.AtLeastOnce, logger)
{
    private readonly PartitionAssignment _assignment = options.Value.ParseAssignment();

    protected override void OnMessage(MqttMessage message)
    {
        if (!GatewayStatus.TryParse(message.Topic, message.Payload, out var site, out var gateway, out var online))
        {
            if (!_assignment.TakesRefused(message.Topic))
            {
                metrics.LeftToOtherInstances.Increment("status");
                return;
            }

            metrics.StatusRejected.Increment();
            LogRejected(Logger, message.Topic);
            return;
        }

        if (!_assignment.TakesGateway(site, gateway))
        {
            metrics.LeftToOtherInstances.Increment("status");
            return;
        }

        signals.Add(new AlertSignal(AlertKind.GatewayOffline, !online, site, gateway, "", null, time.GetUtcNow(),
            new Dictionary<string, string> { ["gateway"] = gateway, ["status"] = online ? "online" : "offline" }), Stopping);
    }

    [LoggerMessage(EventId = 6030, Level = LogLevel.Warning, Message = "Ignored a gateway status on {Topic} that is not a valid status message")]
    private static partial void LogRejected(ILogger logger, string topic);
}
