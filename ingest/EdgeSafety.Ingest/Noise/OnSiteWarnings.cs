using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using EdgeSafety.Contracts;
using EdgeSafety.Mqtt;

namespace EdgeSafety.Ingest.Noise;

/// <summary>The on-site warning a step of a noise exceedance asks a sensor's gateway to play.</summary>
public sealed record OnSiteWarningRequest(string Site, string Gateway, string Device, int Number, string MessageKey, string? Text, DateTimeOffset At);

/// <summary>
/// Sends on-site warnings as the edge agent's <c>warn</c> command (docs/protocol.md, "Commands"), off the MQTT thread:
/// the rules only queue a request, and this service publishes it at QoS 1 (held through a broker outage). The command
/// names the sensor as its target, so the agent's own rate limit is per sensor too.
/// </summary>
public sealed partial class OnSiteWarnings(MqttClient mqtt, NoiseMetrics metrics, ILogger<OnSiteWarnings> logger) : BackgroundService
{
    /// <summary>Warnings are rare (at most one per sensor per rate-limit interval); a full queue means the broker is gone for long.</summary>
    private readonly Channel<OnSiteWarningRequest> _requests = Channel.CreateBounded<OnSiteWarningRequest>(
        new BoundedChannelOptions(1_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Queues a warning; never blocks (called on the MQTT thread).</summary>
    public void Request(OnSiteWarningRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_requests.Writer.TryWrite(request))
        {
            metrics.WarningsFailed.Increment("queue_full");
            LogQueueFull(request.Site, request.Gateway, request.Device);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var request in _requests.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await mqtt.PublishAsync(Topics.Command(request.Site, request.Gateway, CommandCodec.Warn), CommandCodec.Serialize(Command(request)),
                    MqttQos.AtLeastOnce, cancellationToken: stoppingToken);
                metrics.WarningsSent.Increment();
                LogSent(request.Number, request.Site, request.Gateway, request.Device);
            }
            catch (MqttException ex)
            {
                metrics.WarningsFailed.Increment("publish");
                LogFailed(ex, request.Site, request.Gateway, request.Device);
            }
        }
    }

    /// <summary>
    /// The command, with free text when the sensor's settings have some and the recorded message's key otherwise. Its id
    /// is derived from the sensor, the step's time and the warning's number, so a step computed again (readings
    /// redelivered after a restart of ingest) repeats the id and the agent does not play it twice.
    /// </summary>
    public static WarnCommand Command(OnSiteWarningRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sensor = SHA256.HashData(Encoding.UTF8.GetBytes($"{request.Site}/{request.Gateway}/{request.Device}"));
        var id = string.Create(CultureInfo.InvariantCulture, $"noise-{request.At.ToUnixTimeMilliseconds()}-{request.Number}-{Convert.ToHexStringLower(sensor, 0, 8)}");
        return new WarnCommand(id, request.Device, request.Text is null ? request.MessageKey : null, request.Text);
    }

    [LoggerMessage(EventId = 2611, Level = LogLevel.Information, Message = "On-site warning {Number} sent to {Site}/{Gateway} for {Device}")]
    private partial void LogSent(int number, string site, string gateway, string device);

    [LoggerMessage(EventId = 2612, Level = LogLevel.Error, Message = "On-site warning for {Site}/{Gateway}/{Device} could not be sent")]
    private partial void LogFailed(Exception exception, string site, string gateway, string device);

    [LoggerMessage(EventId = 2613, Level = LogLevel.Error, Message = "On-site warning for {Site}/{Gateway}/{Device} dropped: 1,000 warnings are waiting for the broker")]
    private partial void LogQueueFull(string site, string gateway, string device);
}
