using EdgeSafety.Alerts;
using EdgeSafety.ServiceDefaults;

namespace EdgeSafety.Ingest.Alerts;

/// <summary>The alert engine's figures on ingest's /metrics.</summary>
public sealed class AlertMetrics
{
    public AlertMetrics(ServiceMetrics metrics, AlertSignalQueue queue)
    {
        Signals = metrics.Counter("alerts_signals_total", "Alert signals recorded, by effect (raised, refreshed, recurred, cleared, ignored).");
        SignalFailures = metrics.Counter("alerts_signal_failures_total", "Attempts to record a signal that failed (the store was unreachable); retried.");
        StatusRejected = metrics.Counter("alerts_status_rejected_total", "Gateway status messages that were not a valid status.");
        DeviceEventsRejected = metrics.Counter("alerts_device_events_rejected_total", "Device events refused by validation, by reason.");
        LeftToOtherInstances = metrics.Counter("alerts_left_to_other_instances_total",
            "Device events and gateway status messages of devices and gateways in another instance's partitions, by source (event, status).", "source");
        metrics.Gauge("alerts_signal_queue_length", "Signals waiting for the alert engine.", () => queue.Count);
    }

    public MetricCounter Signals { get; }

    public MetricCounter SignalFailures { get; }

    public MetricCounter StatusRejected { get; }

    public MetricCounter DeviceEventsRejected { get; }

    public MetricCounter LeftToOtherInstances { get; }

    public static string Label(string pascal) => pascal.ToLowerInvariant();
}
