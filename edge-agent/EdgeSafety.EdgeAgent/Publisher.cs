using EdgeSafety.Contracts;
using EdgeSafety.Mqtt;
using Microsoft.Extensions.Options;

namespace EdgeSafety.EdgeAgent;

/// <summary>
/// Publishes the outbox to the broker at QoS 1, and the gateway's presence: "online" (retained) on every
/// connection, "offline" as the will the broker sends if the gateway vanishes.
/// </summary>
public sealed partial class Publisher(
    MqttClient mqtt,
    Outbox outbox,
    IOptions<AgentOptions> options,
    AgentMetrics metrics,
    ILogger<Publisher> logger) : BackgroundService
{
    public static MqttWill Will(AgentOptions options) =>
        new(Topics.Status(options.SiteId, options.GatewayId), GatewayStatus.Offline(options.GatewayId), MqttQos.AtLeastOnce, Retain: true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var statusTopic = Topics.Status(settings.SiteId, settings.GatewayId);
        mqtt.ConnectionChanged += connected =>
        {
            if (connected)
            {
                _ = AnnounceOnlineAsync(statusTopic, settings.GatewayId, stoppingToken);
            }
        };
        await mqtt.ConnectAsync(stoppingToken);

        await foreach (var message in outbox.Reader.ReadAllAsync(stoppingToken))
        {
            await mqtt.PublishAsync(message.Topic, message.Payload, MqttQos.AtLeastOnce, cancellationToken: stoppingToken);
            metrics.Published.Increment();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        var settings = options.Value;
        if (mqtt.IsConnected)
        {
            // A clean stop sends no will, so say "offline" ourselves.
            await mqtt.PublishAsync(Topics.Status(settings.SiteId, settings.GatewayId), GatewayStatus.Offline(settings.GatewayId),
                MqttQos.AtLeastOnce, retain: true, cancellationToken);
        }

        await mqtt.DisconnectAsync();
    }

    private async Task AnnounceOnlineAsync(string topic, string gateway, CancellationToken stoppingToken)
    {
        try
        {
            await mqtt.PublishAsync(topic, GatewayStatus.Online(gateway), MqttQos.AtLeastOnce, retain: true, stoppingToken);
            LogOnline(topic);
        }
        catch (Exception ex) when (ex is MqttException or OperationCanceledException or ObjectDisposedException)
        {
            LogAnnounceFailed(ex.Message);
        }
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Connected; announced online on {Topic}")]
    private partial void LogOnline(string topic);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "Could not announce online: {Error}")]
    private partial void LogAnnounceFailed(string error);
}
