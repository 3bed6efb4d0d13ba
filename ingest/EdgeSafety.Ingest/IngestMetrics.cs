using EdgeSafety.ServiceDefaults;

namespace EdgeSafety.Ingest;

/// <summary>Ingest's figures on /metrics: what came in, what was refused and why, what reached InfluxDB.</summary>
public sealed class IngestMetrics
{
    public IngestMetrics(ServiceMetrics metrics, PointQueue queue, TimeProvider time)
    {
        Received = metrics.Counter("ingest_messages_received_total", "Messages received from the broker.");
        Rejected = metrics.Counter("ingest_messages_rejected_total", "Messages refused by validation, by reason.");
        Written = metrics.Counter("ingest_points_written_total", "Points InfluxDB accepted; its rate is the catch-up rate while a backlog drains.");
        WriteFailures = metrics.Counter("ingest_write_failures_total", "Failed InfluxDB writes, by kind (transient ones are retried).");
        PointsDropped = metrics.Counter("ingest_points_dropped_total", "Points InfluxDB refused for good (for example a field type conflict).");
        AnalysisFailures = metrics.Counter("ingest_analysis_failures_total", "Readings an analyser failed on (a bug: see the log), by analyser.");
        Repeated = metrics.Counter("ingest_readings_repeated_total",
            "Readings whose sequence number was not above the last one of their device: redeliveries, or readings out of order.");
        Missing = metrics.Counter("ingest_readings_missing_total",
            "Sequence numbers skipped between consecutive readings of a device: lost before ingest, or taken by another instance.");
        PointsLost = metrics.Counter("ingest_points_lost_total", "Points found damaged in the spill and skipped (outside damage to its files: see the log).");
        WriteDuration = metrics.Histogram("ingest_influx_write_duration_seconds", "How long InfluxDB took to answer a batch write (failed attempts not included).",
            0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10);
        metrics.Gauge("ingest_spill_points", "Points in the spill waiting for InfluxDB: the backlog.", () => queue.Count);
        metrics.Gauge("ingest_spill_bytes", "Bytes of the spill's segment files.", () => queue.SizeBytes);
        metrics.Gauge("ingest_spill_oldest_age_seconds", "Age of the oldest point waiting in the spill; 0 when none waits.",
            () => queue.OldestAddedAt is { } oldest ? Math.Max(0, (time.GetUtcNow() - oldest).TotalSeconds) : 0);
    }

    public MetricCounter Received { get; }

    public MetricCounter Rejected { get; }

    public MetricCounter Written { get; }

    public MetricCounter WriteFailures { get; }

    public MetricCounter PointsDropped { get; }

    public MetricCounter AnalysisFailures { get; }

    public MetricCounter PointsLost { get; }

    public MetricCounter Repeated { get; }

    public MetricCounter Missing { get; }

    public MetricHistogram WriteDuration { get; }
}
