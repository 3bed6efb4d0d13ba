using EdgeSafety.ServiceDefaults;

namespace EdgeSafety.Ingest;

/// <summary>Ingest's figures on /metrics: what came in, what was refused and why, what reached InfluxDB.</summary>
public sealed class IngestMetrics
{
    public IngestMetrics(ServiceMetrics metrics, PointQueue queue)
    {
        Received = metrics.Counter("ingest_messages_received_total", "Messages received from the broker.");
        Rejected = metrics.Counter("ingest_messages_rejected_total", "Messages refused by validation, by reason.");
        Written = metrics.Counter("ingest_points_written_total", "Points InfluxDB accepted.");
        WriteFailures = metrics.Counter("ingest_write_failures_total", "Failed InfluxDB writes, by kind (transient ones are retried).");
        PointsDropped = metrics.Counter("ingest_points_dropped_total", "Points InfluxDB refused for good (for example a field type conflict).");
        AnalysisFailures = metrics.Counter("ingest_analysis_failures_total", "Readings an analyser failed on (a bug: see the log), by analyser.");
        metrics.Gauge("ingest_queue_length", "Points waiting for InfluxDB.", () => queue.Count);
    }

    public MetricCounter Received { get; }

    public MetricCounter Rejected { get; }

    public MetricCounter Written { get; }

    public MetricCounter WriteFailures { get; }

    public MetricCounter PointsDropped { get; }

    public MetricCounter AnalysisFailures { get; }
}
