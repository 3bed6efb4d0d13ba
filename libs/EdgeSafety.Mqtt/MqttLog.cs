using Microsoft.Extensions.Logging;

namespace EdgeSafety.Mqtt;

/// <summary>
/// The client's log lines. Error is kept for what needs a person: a failing handler, a bug in the binding, a broker that
/// refuses a reconnect or a re-made subscription. What the client recovers from by itself is a warning.
/// </summary>
internal static partial class MqttLog
{
    [LoggerMessage(1, LogLevel.Information, "MQTT connected to {Endpoint} as \"{ClientId}\".")]
    public static partial void Connected(ILogger logger, string endpoint, string clientId);

    [LoggerMessage(2, LogLevel.Information, "MQTT disconnected from {Endpoint}.")]
    public static partial void Disconnected(ILogger logger, string endpoint);

    [LoggerMessage(3, LogLevel.Warning, "MQTT connection to {Endpoint} lost ({Reason}); reconnecting in the background.")]
    public static partial void ConnectionLost(ILogger logger, string endpoint, string reason);

    [LoggerMessage(4, LogLevel.Warning, "MQTT broker {Endpoint} not reachable ({Reason}); retrying in the background.")]
    public static partial void BrokerUnreachable(ILogger logger, string endpoint, string reason);

    [LoggerMessage(5, LogLevel.Debug, "MQTT connection attempt to {Endpoint} ended ({Reason}); retrying after the reconnect delay.")]
    public static partial void ConnectAttemptFailed(ILogger logger, string endpoint, string reason);

    [LoggerMessage(6, LogLevel.Warning, "MQTT broker {Endpoint} refused client \"{ClientId}\": {Reason}")]
    public static partial void ConnectRefused(ILogger logger, string endpoint, string clientId, string reason);

    [LoggerMessage(7, LogLevel.Error, "MQTT broker {Endpoint} refused the reconnect of client \"{ClientId}\": {Reason}. Retrying with the reconnect delay.")]
    public static partial void ReconnectRefused(ILogger logger, string endpoint, string clientId, string reason);

    [LoggerMessage(8, LogLevel.Warning, "MQTT subscription to \"{Filter}\" could not be made again on {Endpoint}: {Reason}")]
    public static partial void ResubscribeFailed(ILogger logger, string filter, string endpoint, string reason);

    [LoggerMessage(9, LogLevel.Error, "MQTT broker {Endpoint} refused the subscription to \"{Filter}\" after a reconnect; it is dropped.")]
    public static partial void ResubscribeRefused(ILogger logger, string filter, string endpoint);

    [LoggerMessage(10, LogLevel.Error, "MQTT message handler failed for a message on \"{Topic}\"; the message is lost to this handler.")]
    public static partial void MessageHandlerFailed(ILogger logger, string topic, Exception exception);

    [LoggerMessage(11, LogLevel.Error, "MQTT ConnectionChanged({Connected}) handler failed.")]
    public static partial void ConnectionHandlerFailed(ILogger logger, bool connected, Exception exception);

    [LoggerMessage(12, LogLevel.Error, "MQTT binding failed inside the libmosquitto callback {Callback}.")]
    public static partial void CallbackFailed(ILogger logger, string callback, Exception exception);

    [LoggerMessage(13, LogLevel.Debug, "libmosquitto: {Text}")]
    public static partial void Library(ILogger logger, string text);

    [LoggerMessage(14, LogLevel.Warning, "{What} to the MQTT broker {Endpoint} failed: {Reason}")]
    public static partial void ConnectFailed(ILogger logger, string what, string endpoint, string reason);

    [LoggerMessage(15, LogLevel.Error, "{What} to the MQTT broker {Endpoint} failed: {Reason}. Retrying with backoff.")]
    public static partial void ReconnectFailed(ILogger logger, string what, string endpoint, string reason);
}
