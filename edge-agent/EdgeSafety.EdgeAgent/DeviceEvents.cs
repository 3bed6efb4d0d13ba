using EdgeSafety.Contracts;
using Microsoft.Extensions.Options;

namespace EdgeSafety.EdgeAgent;

/// <summary>
/// Publishes device events (offline, online, tampered, restored) on the device's events topic. They go through the
/// disk outbox like readings, so none is lost to a broker outage or a restart, each device's events numbered in a
/// sequence of their own.
/// </summary>
public sealed partial class DeviceEvents(Outbox outbox, IOptions<AgentOptions> options, TimeProvider time, ILogger<DeviceEvents> logger)
{
    public void Raise(string device, DeviceEventKind kind, IReadOnlyDictionary<string, object> detail)
    {
        var settings = options.Value;
        var at = time.GetUtcNow();
        outbox.Add(Outbox.EventsSequence(device), Topics.Events(settings.SiteId, settings.GatewayId, device),
            sequence => DeviceEventCodec.Serialize(new DeviceEvent(device, kind, sequence, at, detail)));
        LogRaised(device, DeviceEventCodec.EventName(kind), string.Join(", ", detail.Select(d => $"{d.Key}={d.Value}")));
    }

    [LoggerMessage(EventId = 1111, Level = LogLevel.Warning, Message = "Device {Device}: {Event} ({Detail})")]
    private partial void LogRaised(string device, string @event, string detail);
}
