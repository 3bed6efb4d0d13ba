using System.ComponentModel.DataAnnotations;

namespace EdgeSafety.Storage;

/// <summary>Where a <see cref="RecordStore"/> keeps its files and how much it may keep (a "Store" settings section).</summary>
public sealed class RecordStoreOptions : IValidatableObject
{
    /// <summary>The store's folder, created if missing. One store per folder: a second opener is refused.</summary>
    [Required]
    public string Directory { get; set; } = string.Empty;

    /// <summary>Bytes on disk, all segment files together. Past it the oldest segment goes (or appends are refused).</summary>
    [Range(8 * 1024, 1024L * 1024 * 1024 * 1024)]
    public long MaxBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>Records older than this are dropped, a whole segment at a time (<see cref="StoreFullPolicy.DropOldest"/> only).</summary>
    [Range(1, 24 * 365)]
    public int MaxAgeHours { get; set; } = 72;

    /// <summary>
    /// Size of one segment file: the unit in which space is freed (a fully acknowledged or dropped segment is deleted
    /// whole). A record must fit in one segment. A few MiB keeps the file count low and the loss on a drop small.
    /// </summary>
    [Range(4 * 1024, 1024 * 1024 * 1024)]
    public int SegmentBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// How often appended records are forced to disk (fsync), and only then handed to readers; 0 forces every append
    /// before it returns. A power cut loses at most this much of the latest records, and nothing a reader was given:
    /// every fsync costs a flash write and, on an SD card, milliseconds, so per-append fsync limits throughput.
    /// </summary>
    [Range(0, 10_000)]
    public int FlushIntervalMilliseconds { get; set; } = 100;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxBytes < 2L * SegmentBytes)
        {
            yield return new ValidationResult(
                $"MaxBytes must be at least two segments (2 × SegmentBytes = {2L * SegmentBytes}): the segment being written is never dropped.",
                [nameof(MaxBytes), nameof(SegmentBytes)]);
        }
    }
}
