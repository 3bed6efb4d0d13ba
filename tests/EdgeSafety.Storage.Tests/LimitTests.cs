namespace EdgeSafety.Storage.Tests;

/// <summary>MaxBytes and MaxAge: the oldest whole segment goes, the caller is told how many records went; or, under Reject, nothing goes.</summary>
public sealed class LimitTests : IDisposable
{
    private const long ThreeSegments = 3 * StoreFolder.SegmentBytes;
    private readonly StoreFolder _folder = new();

    [Fact]
    public void Past_MaxBytes_the_oldest_segment_is_dropped_and_the_append_reports_how_many_records_went()
    {
        using var store = _folder.Open(_folder.Options(maxBytes: ThreeSegments));
        var fits = 3 * StoreFolder.PerSegment;
        StoreFolder.AppendRange(store, 0, fits);

        var result = store.Append(StoreFolder.Data(fits));

        result.Should().Be(new AppendResult(fits, StoreFolder.PerSegment));
        store.FirstOffset.Should().Be(StoreFolder.PerSegment);
        StoreFolder.Offsets(StoreFolder.ReadAll(store)).Should().Equal(StoreFolder.Range(StoreFolder.PerSegment, fits + 1), "the newest are kept");
        store.SizeBytes.Should().BeLessThanOrEqualTo(ThreeSegments);
        _folder.Log.Entries.Should().ContainSingle(e => e.Message.Contains($"dropped the oldest {StoreFolder.PerSegment} records (offsets 0 to {StoreFolder.PerSegment - 1})", StringComparison.Ordinal));
    }

    [Fact]
    public void Acknowledged_segments_make_room_before_any_unacknowledged_record_is_dropped()
    {
        using var store = _folder.Open(_folder.Options(maxBytes: ThreeSegments));
        StoreFolder.AppendRange(store, 0, 3 * StoreFolder.PerSegment);
        store.RemoveThrough(StoreFolder.PerSegment - 1);

        store.Append(StoreFolder.Data(0)).Dropped.Should().Be(0);
        StoreFolder.Offsets(StoreFolder.ReadAll(store)).Should().Equal(StoreFolder.Range(StoreFolder.PerSegment, 3 * StoreFolder.PerSegment + 1));
    }

    [Fact]
    public void A_segment_whose_records_are_all_older_than_MaxAge_is_dropped_and_counted()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));
        using var store = _folder.Open(_folder.Options(maxAgeHours: 1), time: clock);
        StoreFolder.AppendRange(store, 0, StoreFolder.PerSegment);
        clock.Now += TimeSpan.FromMinutes(30);
        StoreFolder.AppendRange(store, StoreFolder.PerSegment, StoreFolder.PerSegment);
        clock.Now += TimeSpan.FromMinutes(31);

        var result = store.Append(StoreFolder.Data(2 * StoreFolder.PerSegment));

        result.Dropped.Should().Be(StoreFolder.PerSegment, "the first segment is 61 minutes old, the second 31");
        StoreFolder.Offsets(StoreFolder.ReadAll(store)).Should().Equal(StoreFolder.Range(StoreFolder.PerSegment, 2 * StoreFolder.PerSegment + 1));
        store.OldestAppendedAt.Should().Be(clock.Now - TimeSpan.FromMinutes(31));
        _folder.Log.Entries.Should().ContainSingle(e => e.Message.Contains("older than 1 h", StringComparison.Ordinal));
    }

    [Fact]
    public void Under_Reject_a_full_store_throws_StorageFullException_and_keeps_everything()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        using var store = _folder.Open(_folder.Options(maxBytes: 2 * StoreFolder.SegmentBytes, maxAgeHours: 1), StoreFullPolicy.Reject, clock);
        var fits = 2 * StoreFolder.PerSegment;
        StoreFolder.AppendRange(store, 0, fits);
        clock.Now += TimeSpan.FromHours(2);

        var append = () => store.Append(StoreFolder.Data(fits));

        append.Should().Throw<StorageFullException>();
        store.NextOffset.Should().Be(fits, "the refused record was not stored");
        StoreFolder.Offsets(StoreFolder.ReadAll(store)).Should().Equal(StoreFolder.Range(0, fits), "nothing is dropped, not even for age");

        store.RemoveThrough(StoreFolder.PerSegment - 1);
        store.Append(StoreFolder.Data(fits)).Should().Be(new AppendResult(fits, 0), "acknowledged records made room");
    }

    [Fact]
    public void MaxBytes_below_two_segments_is_refused_when_opening()
    {
        var options = _folder.Options(maxBytes: 12 * 1024);
        options.SegmentBytes = 8 * 1024;

        var open = () => _folder.Open(options);

        open.Should().Throw<System.ComponentModel.DataAnnotations.ValidationException>().WithMessage("MaxBytes must be at least two segments*");
    }

    public void Dispose() => _folder.Dispose();
}
