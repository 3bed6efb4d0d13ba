using System.Text;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Storage.Tests;

/// <summary>
/// A store's folder for one test, with records of a fixed size so that segment boundaries are known:
/// <see cref="PerSegment"/> records fill one 4 KiB segment.
/// </summary>
internal sealed class StoreFolder : IDisposable
{
    public const int SegmentBytes = 4096;
    public const int DataLength = 100;
    public const int PerSegment = SegmentBytes / (RecordFrame.HeaderLength + DataLength);

    private readonly TemporaryDirectory _directory = new("store");

    public RecordingLogger<RecordStore> Log { get; } = new();

    public string Path => _directory.Path;

    public RecordStoreOptions Options(long maxBytes = 1024 * 1024, int flushIntervalMilliseconds = 0, int maxAgeHours = 72) => new()
    {
        Directory = _directory.Path,
        SegmentBytes = SegmentBytes,
        MaxBytes = maxBytes,
        FlushIntervalMilliseconds = flushIntervalMilliseconds,
        MaxAgeHours = maxAgeHours,
    };

    public RecordStore Open(RecordStoreOptions? options = null, StoreFullPolicy policy = StoreFullPolicy.DropOldest,
        TimeProvider? time = null, Func<byte[]>? captureState = null) =>
        RecordStore.Open(options ?? Options(), policy, time ?? TimeProvider.System, Log, captureState);

    /// <summary>The segment files, oldest first.</summary>
    public IReadOnlyList<string> Segments() => [.. Directory.GetFiles(Path, "*.seg").Order(StringComparer.Ordinal)];

    /// <summary>Fixed-length data that names its record: "record 17" padded with dots.</summary>
    public static byte[] Data(long n) => Encoding.ASCII.GetBytes($"record {n}".PadRight(DataLength, '.'));

    public static void AppendRange(RecordStore store, long from, long count)
    {
        for (var n = from; n < from + count; n++)
        {
            store.Append(Data(n)).Offset.Should().Be(n);
        }
    }

    /// <summary>Every readable record from the offset on, in order.</summary>
    public static List<StoredRecord> ReadAll(RecordStore store, long from = 0) => [.. store.Read(from, int.MaxValue).Records];

    public static IEnumerable<long> Offsets(IEnumerable<StoredRecord> records) => records.Select(r => r.Offset);

    public static IEnumerable<long> Range(long from, long toExclusive) => Enumerable.Range(0, (int)(toExclusive - from)).Select(i => from + i);

    public void Dispose() => _directory.Dispose();
}

/// <summary>A clock the test moves by hand (only the time read; timers run on the system clock).</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
