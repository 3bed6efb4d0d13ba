using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeSafety.Notifications;

/// <summary>
/// One delivery attempt of one notification to one target. Retries, backoff and the record of outcomes belong to
/// the caller (the alert engine's delivery queue): this only says what happened, and never throws for a failed
/// delivery; it throws <see cref="OperationCanceledException"/> only when the caller's token is cancelled.
/// </summary>
public sealed partial class NotificationSender
{
    private readonly Dictionary<NotificationChannel, INotificationChannel> _channels;
    private readonly TimeSpan _timeout;
    private readonly ILogger<NotificationSender> _logger;

    public NotificationSender(IHttpClientFactory httpClients, IOptions<NotificationOptions> options, TimeProvider clock,
        ILogger<NotificationSender> logger)
    {
        var settings = options.Value;
        var texts = new MessageText(TimeZoneInfo.FindSystemTimeZoneById(settings.TimeZone));
        HttpClient Http() => httpClients.CreateClient(NotificationServiceExtensions.HttpClientName);
        INotificationChannel[] channels =
        [
            new WebhookChannel(Http, settings.Webhook, clock),
            new WeChatWorkChannel(Http, texts),
            new DingTalkChannel(Http, texts, clock),
            new FeishuChannel(Http, texts, clock),
            new EmailChannel(settings.Email, texts),
            new SmsChannel(Http, settings.Sms, texts),
            new WebPushChannel(Http, settings.WebPush, clock),
        ];
        _channels = channels.ToDictionary(c => c.Channel);
        _timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds);
        _logger = logger;
    }

    /// <summary>Whether the settings turn the channel on; a target on a channel that is off fails permanently.</summary>
    public bool IsConfigured(NotificationChannel channel) => _channels[channel].IsConfigured;

    public async Task<DeliveryOutcome> SendAsync(NotificationTarget target, AlertNotification notification,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(notification);
        var started = Stopwatch.GetTimestamp();
        var outcome = await AttemptAsync(target, notification, cancellationToken).ConfigureAwait(false);
        outcome = outcome with { Elapsed = Stopwatch.GetElapsedTime(started) };
        if (outcome.IsDelivered)
        {
            LogDelivered(notification.NotificationId, target.Channel, outcome.Elapsed.TotalMilliseconds);
        }
        else
        {
            LogFailed(notification.NotificationId, target.Channel, outcome.Status, outcome.Detail);
        }

        return outcome;
    }

    private async Task<DeliveryOutcome> AttemptAsync(NotificationTarget target, AlertNotification notification,
        CancellationToken cancellationToken)
    {
        if (!_channels.TryGetValue(target.Channel, out var channel))
        {
            return DeliveryOutcomes.Permanent($"unknown channel {(int)target.Channel}");
        }

        if (!channel.IsConfigured)
        {
            return DeliveryOutcomes.Permanent($"channel {target.Channel} is not configured (Notifications:{target.Channel})");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            return await channel.SendAsync(target, notification, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DeliveryOutcomes.Transient($"no answer within {_timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException ex)
        {
            return DeliveryOutcomes.Transient($"connection failed: {ex.HttpRequestError}");
        }
        catch (SocketException ex)
        {
            return DeliveryOutcomes.Transient($"connection failed: {ex.SocketErrorCode}");
        }
        catch (Exception ex) when (ex is InvalidTargetException or CryptographicException or FormatException)
        {
            return DeliveryOutcomes.Permanent($"invalid target: {ex.Message}");
        }
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Debug, Message = "Notification {NotificationId} delivered by {Channel} in {Milliseconds:0} ms")]
    private partial void LogDelivered(string notificationId, NotificationChannel channel, double milliseconds);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Notification {NotificationId} not delivered by {Channel} ({Status}): {Detail}")]
    private partial void LogFailed(string notificationId, NotificationChannel channel, DeliveryStatus status, string detail);
}

/// <summary>One way of delivering; its settings decide whether it is on.</summary>
internal interface INotificationChannel
{
    NotificationChannel Channel { get; }

    bool IsConfigured { get; }

    Task<DeliveryOutcome> SendAsync(NotificationTarget target, AlertNotification notification, CancellationToken cancellationToken);
}

/// <summary>The target's address or keys cannot be used: retrying the same target will not help.</summary>
internal sealed class InvalidTargetException(string message) : Exception(message);
