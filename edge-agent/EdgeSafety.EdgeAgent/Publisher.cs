using EdgeSafety.Contracts;
using EdgeSafety.EdgeAgent.Commands;
using EdgeSafety.Mqtt;
using Microsoft.Extensions.Options;

namespace EdgeSafety.EdgeAgent;

/// <summary>
/// Publishes the outbox to the broker at QoS 1, in order, and the gateway's presence: "online" (retained) on every
/// connection, "offline" as the will the broker sends if the gateway vanishes.
/// </summary>
/// <remarks>
/// Many readings are in flight at once: each is handed to the client without waiting for the one before it to be
/// acknowledged (the client holds at most MaxInflightMessages unacknowledged and queues the rest in call order). A
/// reading leaves the outbox only when it and every reading before it are acknowledged, so after a crash or a restart
/// publishing starts again at the first unacknowledged one: at least once, and a repeat has the same seq.
/// </remarks>
public sealed partial class Publisher(
    MqttClient mqtt,
    Outbox outbox,
    IOptions<AgentOptions> options,
    IOptions<MqttClientOptions> mqttOptions,
    IOptions<WarningOptions> warningOptions,
    AgentMetrics metrics,
    ILogger<Publisher> logger) : BackgroundService
{
    public static MqttWill Will(AgentOptions options) =>
        new(Topics.Status(options.SiteId, options.GatewayId), GatewayStatus.Offline(options.GatewayId), MqttQos.AtLeastOnce, Retain: true);

    /// <summary>Completed while connected; replaced by a pending one when the connection drops.</summary>
    private volatile TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static readonly TimeSpan OfflineAnnouncementTimeout = TimeSpan.FromSeconds(3);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var statusTopic = Topics.Status(settings.SiteId, settings.GatewayId);
        mqtt.ConnectionChanged += connected =>
        {
            if (connected)
            {
                _connected.TrySetResult();
                _ = AnnounceOnlineAsync(statusTopic, settings.GatewayId, stoppingToken);
            }
            else if (_connected.Task.IsCompleted)
            {
                _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        };
        await mqtt.ConnectAsync(stoppingToken);

        // Twice the client's in-flight limit: while one window waits for acknowledgements the next is already queued
        // in the client, so a freed slot is used at once. Bounds the readings held in memory.
        var windowSize = 2 * mqttOptions.Value.MaxInflightMessages;
        var window = new Queue<(long Offset, Task Acknowledged)>(windowSize);
        var next = outbox.FirstOffset;
        while (!stoppingToken.IsCancellationRequested)
        {
            RemoveAcknowledged(window);
            if (!mqtt.IsConnected)
            {
                // Readings handed to a disconnected client would wait in its memory, out of the store's reach: one the
                // store then dropped for its byte or age limit would still be delivered, and counted as lost. They wait
                // on disk instead until the broker is back.
                await Task.WhenAny(_connected.Task, Task.Delay(Timeout.Infinite, stoppingToken));
                continue;
            }

            var batch = window.Count < windowSize ? outbox.Read(next, windowSize - window.Count) : [];
            foreach (var message in batch)
            {
                window.Enqueue((message.Offset, mqtt.PublishAsync(message.Topic, message.Payload, MqttQos.AtLeastOnce, cancellationToken: stoppingToken)));
                next = message.Offset + 1;
            }

            if (batch.Count == 0)
            {
                // Nothing to send now: wake for the oldest acknowledgement, or (with room in the window) a new reading,
                // whichever comes first. WhenAny does not throw: a failed or cancelled one is handled above.
                var waits = new List<Task>(2);
                if (window.TryPeek(out var oldest))
                {
                    waits.Add(oldest.Acknowledged);
                }

                if (window.Count < windowSize)
                {
                    waits.Add(outbox.WaitForMessagesAsync(next, stoppingToken));
                }

                await Task.WhenAny(waits);
            }
        }

        RemoveAcknowledged(window);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        var settings = options.Value;
        if (mqtt.IsConnected)
        {
            // A clean stop sends no will, so say "offline" ourselves; but a broker going away at the same moment (a
            // whole site shutting down) must not hold the stop until the host gives up on it.
            using var acknowledged = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            acknowledged.CancelAfter(OfflineAnnouncementTimeout);
            try
            {
                await mqtt.PublishAsync(Topics.Status(settings.SiteId, settings.GatewayId), GatewayStatus.Offline(settings.GatewayId),
                    MqttQos.AtLeastOnce, retain: true, acknowledged.Token);
            }
            catch (OperationCanceledException)
            {
                LogOfflineNotAcknowledged(OfflineAnnouncementTimeout);
            }
        }

        await mqtt.DisconnectAsync();
    }

    /// <summary>Takes the acknowledged readings off the front of the window and removes them from the outbox.</summary>
    private void RemoveAcknowledged(Queue<(long Offset, Task Acknowledged)> window)
    {
        long? through = null;
        while (window.TryPeek(out var oldest) && oldest.Acknowledged.IsCompleted)
        {
            var outcome = oldest.Acknowledged.Exception?.InnerException;
            if (oldest.Acknowledged.IsCanceled || outcome is OperationCanceledException or ObjectDisposedException)
            {
                // Stopping: this one and all after it stay in the outbox for the next start.
                break;
            }

            window.Dequeue();
            if (outcome is null)
            {
                metrics.Published.Increment();
            }
            else
            {
                // The client refused this message itself (not a connection problem: those are retried by libmosquitto).
                // Sending it again would fail again and hold up every reading behind it.
                metrics.StoreDropped.Increment();
                LogUndeliverable(oldest.Offset, outcome.Message);
            }

            through = oldest.Offset;
        }

        if (through is { } offset)
        {
            outbox.RemoveThrough(offset);
        }
    }

    private async Task AnnounceOnlineAsync(string topic, string gateway, CancellationToken stoppingToken)
    {
        try
        {
            // The warnings it can play: without a player it refuses every warn command, so it announces none.
            var warning = warningOptions.Value;
            await mqtt.PublishAsync(topic, GatewayStatus.Online(gateway, warning.Player is null ? [] : warning.Messages.Keys), MqttQos.AtLeastOnce, retain: true,
                stoppingToken);
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

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "Stopping without the broker's acknowledgement of \"offline\" within {Timeout}")]
    private partial void LogOfflineNotAcknowledged(TimeSpan timeout);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Error, Message = "The reading at outbox offset {Offset} cannot be published ({Error}); dropped")]
    private partial void LogUndeliverable(long offset, string error);
}
