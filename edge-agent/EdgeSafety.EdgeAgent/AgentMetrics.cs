using EdgeSafety.ServiceDefaults;

namespace EdgeSafety.EdgeAgent;

/// <summary>The agent's figures on /metrics (the store's gauges are registered by <see cref="Outbox"/>).</summary>
public sealed class AgentMetrics
{
    public AgentMetrics(ServiceMetrics metrics)
    {
        Polls = metrics.Counter("agent_polls_total", "Device polls that returned every value.");
        PollFailures = metrics.Counter("agent_poll_failures_total", "Device polls that failed, by cause.");
        Published = metrics.Counter("agent_readings_published_total", "Readings the broker acknowledged.");
        StoreDropped = metrics.Counter("agent_store_dropped_total",
            "Readings lost before the broker took them: over the store's byte or age limit, damaged on disk, or not storable (each burst is logged with its reason).");
    }

    public MetricCounter Polls { get; }

    public MetricCounter PollFailures { get; }

    public MetricCounter Published { get; }

    public MetricCounter StoreDropped { get; }
}
