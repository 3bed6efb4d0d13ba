using EdgeSafety.ServiceDefaults;

namespace EdgeSafety.EdgeAgent;

/// <summary>The agent's figures on /metrics.</summary>
public sealed class AgentMetrics
{
    public AgentMetrics(ServiceMetrics metrics, Outbox outbox)
    {
        Polls = metrics.Counter("agent_polls_total", "Device polls that returned every value.");
        PollFailures = metrics.Counter("agent_poll_failures_total", "Device polls that failed, by cause.");
        Published = metrics.Counter("agent_readings_published_total", "Readings the broker acknowledged.");
        metrics.Gauge("agent_outbox_length", "Readings waiting for the broker.", () => outbox.Count);
    }

    public MetricCounter Polls { get; }

    public MetricCounter PollFailures { get; }

    public MetricCounter Published { get; }
}
