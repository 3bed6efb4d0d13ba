using System.ComponentModel.DataAnnotations;

namespace EdgeSafety.Ingest;

/// <summary>Ingest's own settings (section "Ingest"); the broker is section "Mqtt", InfluxDB section "Influx".</summary>
public sealed class IngestOptions
{
    /// <summary>Readings waiting for InfluxDB. When full, ingest stops taking messages and the broker queues them.</summary>
    [Range(100, 10_000_000)]
    public int QueueCapacity { get; set; } = 100_000;

    /// <summary>Points per InfluxDB write; 5,000 is InfluxDB's own recommendation.</summary>
    [Range(1, 50_000)]
    public int MaxBatchSize { get; set; } = 5_000;

    /// <summary>How long a reading may wait for its batch to fill: the bound on ingest's added latency.</summary>
    [Range(10, 60_000)]
    public int FlushIntervalMilliseconds { get; set; } = 500;

    /// <summary>The longest wait between retries while InfluxDB is unreachable.</summary>
    [Range(100, 600_000)]
    public int MaxRetryDelayMilliseconds { get; set; } = 30_000;
}
