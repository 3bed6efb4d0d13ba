using System.ComponentModel.DataAnnotations;
using EdgeSafety.Contracts;

namespace EdgeSafety.Ingest;

/// <summary>
/// Ingest's own settings (section "Ingest"); the broker is section "Mqtt", InfluxDB section "Influx", the spill on disk
/// section "Store".
/// </summary>
public sealed class IngestOptions : IValidatableObject
{
    /// <summary>
    /// The partitions of the partitioned readings topic this instance takes: "all" (one instance), or ranges such as
    /// "0-31" and "32-63" for two (docs/scale-out.md). Instances must not overlap, or a device's readings are split.
    /// </summary>
    [Required]
    public string Partitions { get; set; } = "all";

    /// <summary>Take the plain readings topic as well (gateways that do not publish partitioned). Exactly one instance should.</summary>
    public bool Unpartitioned { get; set; } = true;

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

    /// <summary>What <see cref="Partitions"/> and <see cref="Unpartitioned"/> say (validated at start).</summary>
    public PartitionAssignment ParseAssignment() =>
        PartitionAssignment.TryParse(Partitions, Unpartitioned, out var assignment, out var error)
            ? assignment
            : throw new InvalidOperationException(error);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!PartitionAssignment.TryParse(Partitions, Unpartitioned, out _, out var error))
        {
            yield return new ValidationResult($"{error} ({Topics.PartitionCount} partitions)", [nameof(Partitions)]);
        }
    }
}
