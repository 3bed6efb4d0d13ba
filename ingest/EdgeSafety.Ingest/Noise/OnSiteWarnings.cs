using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using EdgeSafety.Contracts;
using EdgeSafety.Mqtt;

namespace EdgeSafety.Ingest.Noise;

/// <summary>A warning to play on site, at a sensor's gateway, as a step of a noise exceedance.</summary>
public sealed record OnSiteWarningRequest(string Site, string Gateway, string Device, string? Unit, int Number, string Message, DateTimeOffset At);

/// <summary>
/// Sends on-site warnings as the edge agent's <c>warn</c> command (docs/protocol.md), off the MQTT thread: the rules
/// only queue a request, and this service publishes it at QoS 1 (held through a broker outage). The one place that
/// knows the command's topic and payload.
/// </summary>
public sealed partial class OnSiteWarnings(MqttClient mqtt, NoiseMetrics metrics, ILogger<OnSiteWarnings> logger) : BackgroundService
{
    /// <summary>Warnings are rare (at most one per sensor per rate-limit interval); a full queue means the broker is gone for long.</summary>
    private readonly Channel<OnSiteWarningRequest> _requests = Channel.CreateBounded<OnSiteWarningRequest>(
        new BoundedChannelOptions(1_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Queues a warning; never blocks (called on the MQTT thread).</summary>
    public void Request(OnSiteWarningRequest request)
    {
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
                await mqtt.PublishAsync(CommandTopic(request.Site, request.Gateway), Payload(request), MqttQos.AtLeastOnce, cancellationToken: stoppingToken);
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

    public static string CommandTopic(string site, string gateway) => $"{Topics.Root}/{site}/{gateway}/commands/warn";

    public static byte[] Payload(OnSiteWarningRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("v", 1);
            json.WriteString("id", $"noise-{request.Device}-{request.At.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}-{request.Number.ToString(CultureInfo.InvariantCulture)}");
            json.WriteString("device", request.Device);
            json.WriteString("reason", "noise_exceedance");
            json.WriteNumber("warning", request.Number);
            json.WriteString("text", request.Message);
            json.WriteString("ts", request.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    [LoggerMessage(EventId = 2611, Level = LogLevel.Information, Message = "On-site warning {Number} sent to {Site}/{Gateway} for {Device}")]
    private partial void LogSent(int number, string site, string gateway, string device);

    [LoggerMessage(EventId = 2612, Level = LogLevel.Error, Message = "On-site warning for {Site}/{Gateway}/{Device} could not be sent")]
    private partial void LogFailed(Exception exception, string site, string gateway, string device);

    [LoggerMessage(EventId = 2613, Level = LogLevel.Error, Message = "On-site warning for {Site}/{Gateway}/{Device} dropped: 1,000 warnings are waiting for the broker")]
    private partial void LogQueueFull(string site, string gateway, string device);
}
