using EdgeSafety.Mqtt;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeSafety.ServiceDefaults;

/// <summary>
/// A service that follows topic filters on the broker. It connects in the background, so the service starts (and
/// answers /healthz) while the broker is still down, and disconnects cleanly when the service stops. Each message is
/// handed to <see cref="OnMessage"/> on the MQTT network thread, before the broker gets its acknowledgement.
/// </summary>
public abstract partial class TopicSubscriber(MqttClient mqtt, IReadOnlyList<string> topicFilters, MqttQos qos, ILogger logger) : BackgroundService
{
    protected ILogger Logger { get; } = logger;

    /// <summary>Cancelled when the service stops; for handlers that wait (a full queue).</summary>
    protected CancellationToken Stopping { get; private set; }

    protected abstract void OnMessage(MqttMessage message);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Stopping = stoppingToken;
        mqtt.MessageReceived = OnMessage;
        await mqtt.ConnectAsync(stoppingToken);
        foreach (var topicFilter in topicFilters)
        {
            await mqtt.SubscribeAsync(topicFilter, qos, stoppingToken);
        }

        // One line once every filter is in place: from then on nothing published to them is missed, which is what an
        // operator (or a test) waiting for this line needs to know.
        LogSubscribed(Logger, string.Join(", ", topicFilters));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await mqtt.DisconnectAsync();
    }

    [LoggerMessage(EventId = 901, Level = LogLevel.Information, Message = "Subscribed to {Filters}")]
    private static partial void LogSubscribed(ILogger logger, string filters);
}
