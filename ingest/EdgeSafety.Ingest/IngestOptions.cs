using System.ComponentModel.DataAnnotations;

namespace EdgeSafety.Ingest;

/// <summary>
/// Ingest's own settings (section "Ingest"); the broker is section "Mqtt", InfluxDB section "Influx", the spill on disk
/// section "Store".
/// </summary>
public sealed class IngestOptions
{
    /// <summary>Points per InfluxDB write; 5,000 is InfluxDB's own recommendation.</summary>
    [Range(1, 50_000)]
    public int MaxBatchSize { get; set; } = 5_000;

    /// <summary>How long a reading may wait for its batch to fill: the bound on ingest's added latency.</summary>
    [Range(10, 60_000)]
    public int FlushIntervalMilliseconds { get; set; } = 500;

    /// <summary>The longest wait between retries while InfluxDB is unreachable.</summary>
    [Range(100, 600_000)]
    public int MaxRetryDelayMilliseconds { get; set; } = 30_000;

    /// <summary>/healthz turns unhealthy when points wait and no batch has reached InfluxDB for this long.</summary>
    [Range(5, 86_400)]
    public int StuckWriterSeconds { get; set; } = 120;
}
