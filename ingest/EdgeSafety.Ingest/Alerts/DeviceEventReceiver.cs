using System.Globalization;
using EdgeSafety.Alerts;
using EdgeSafety.Contracts;
using EdgeSafety.Mqtt;
using EdgeSafety.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace EdgeSafety.Ingest.Alerts;

/// <summary>
/// Turns the edge agents' device events into alerts: offline raises DeviceOffline and online clears it, tampered
/// raises DeviceTampered and restored clears it. The event's detail (the error, the voltage) is the evidence. Every
/// instance receives every event, and only the one that takes the device's partition acts on it (docs/scale-out.md):
/// one alert and one notification per event however many instances run. That instance also counts by reason and logs
/// an event it refuses, like a refused reading. It has its own broker connection (client id with "-events"), since
/// one connection hands its messages to one subscriber.
/// </summary>
public sealed partial class DeviceEventReceiver(MqttClient mqtt, AlertSignalQueue signals, AlertMetrics metrics, IOptions<IngestOptions> options,
    TimeProvider time, ILogger<DeviceEventReceiver> logger) : TopicSubscriber(mqtt, [Topics.AllEvents], MqttQos.AtLeastOnce, logger)
{
    private readonly PartitionAssignment _assignment = options.Value.ParseAssignment();

    protected override void OnMessage(MqttMessage message)
    {
        if (!DeviceEventCodec.TryParse(message.Topic, message.Payload, time.GetUtcNow(), out var source, out var deviceEvent, out var rejection))
        {
            if (!_assignment.TakesRefused(message.Topic))
            {
                metrics.LeftToOtherInstances.Increment("event");
                return;
            }

            metrics.DeviceEventsRejected.Increment(RejectionLabel.Of(rejection!.Reason));
            LogRejected(Logger, message.Topic, rejection.Reason, rejection.Detail);
            return;
        }

        if (!_assignment.TakesDevice(source.Site, source.Gateway, deviceEvent!.Device))
        {
            metrics.LeftToOtherInstances.Increment("event");
            return;
        }

        signals.Add(ToSignal(source, deviceEvent), Stopping);
    }

    /// <summary>
    /// The signal an event states. The unit is the one the event names in its detail, if any; the alert engine
    /// prefers the registry's assignment of the device.
    /// </summary>
    public static AlertSignal ToSignal(ReadingSource source, DeviceEvent deviceEvent)
    {
        var (kind, active) = deviceEvent.Event switch
        {
            DeviceEventKind.Offline => (AlertKind.DeviceOffline, true),
            DeviceEventKind.Online => (AlertKind.DeviceOffline, false),
            DeviceEventKind.Tampered => (AlertKind.DeviceTampered, true),
            DeviceEventKind.Restored => (AlertKind.DeviceTampered, false),
            _ => throw new ArgumentOutOfRangeException(nameof(deviceEvent), deviceEvent.Event, null),
        };
        var evidence = deviceEvent.Detail.ToDictionary(d => d.Key,
            d => d.Value is double number ? number.ToString("R", CultureInfo.InvariantCulture) : (string)d.Value, StringComparer.Ordinal);
        evidence["event"] = DeviceEventCodec.EventName(deviceEvent.Event);
        var unit = deviceEvent.Detail.GetValueOrDefault("unit") as string;
        return new AlertSignal(kind, active, source.Site, source.Gateway, deviceEvent.Device, unit, deviceEvent.Timestamp, evidence);
    }

    [LoggerMessage(EventId = 6031, Level = LogLevel.Warning, Message = "Rejected a device event on {Topic}: {Reason} ({Detail})")]
    private static partial void LogRejected(ILogger logger, string topic, RejectionReason reason, string detail);
}
