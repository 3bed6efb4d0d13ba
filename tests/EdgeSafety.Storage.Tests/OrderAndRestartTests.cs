namespace EdgeSafety.Storage.Tests;

/// <summary>Records come back in order with their offsets, across segments and across restarts, until removed.</summary>
public sealed class OrderAndRestartTests : IDisposable
{
    private readonly StoreFolder _folder = new();

    [Fact]
    public void Appends_get_consecutive_offsets_and_read_back_in_order_across_segments()
    {
        using var store = _folder.Open();
        var count = 3 * StoreFolder.PerSegment + 5;

        StoreFolder.AppendRange(store, 0, count);

        _folder.Segments().Should().HaveCount(4, "records that do not fit start a new segment");
        var all = StoreFolder.ReadAll(store);
        StoreFolder.Offsets(all).Should().Equal(StoreFolder.Range(0, count));
        all.Select(r => r.Data).Should().BeEquivalentTo(StoreFolder.Range(0, count).Select(StoreFolder.Data), o => o.WithStrictOrdering());
        StoreFolder.Offsets(store.Read(40, 10).Records).Should().Equal(StoreFolder.Range(40, 50), "a read starts anywhere and stops at the count");
        store.Count.Should().Be(count);
    }

    [Fact]
    public void A_reopened_store_keeps_every_record_not_removed_and_goes_on_with_the_next_offset()
    {
        using (var store = _folder.Open())
        {
            StoreFolder.AppendRange(store, 0, 50);
            store.RemoveThrough(9);
        }

        using var reopened = _folder.Open();

        reopened.FirstOffset.Should().Be(10);
        StoreFolder.Offsets(StoreFolder.ReadAll(reopened)).Should().Equal(StoreFolder.Range(10, 50));
        StoreFolder.ReadAll(reopened).Select(r => r.Data).Should().BeEquivalentTo(StoreFolder.Range(10, 50).Select(StoreFolder.Data), o => o.WithStrictOrdering());
        reopened.Append(StoreFolder.Data(50)).Offset.Should().Be(50);
    }

    [Fact]
    public void Removing_through_an_offset_removes_what_came_before_and_deletes_segments_that_are_wholly_removed()
    {
        using var store = _folder.Open();
        StoreFolder.AppendRange(store, 0, 2 * StoreFolder.PerSegment + 1);
        var sizeBefore = store.SizeBytes;

        store.RemoveThrough(StoreFolder.PerSegment);

        store.FirstOffset.Should().Be(StoreFolder.PerSegment + 1);
        StoreFolder.Offsets(StoreFolder.ReadAll(store, from: 0)).Should().Equal(StoreFolder.Range(StoreFolder.PerSegment + 1, 2 * StoreFolder.PerSegment + 1),
            "a read from before the first offset starts at it");
        _folder.Segments().Should().HaveCount(2, "the first segment was wholly removed and its file deleted");
        store.SizeBytes.Should().Be(sizeBefore - StoreFolder.PerSegment * (RecordFrame.HeaderLength + StoreFolder.DataLength));
    }

    [Fact]
    public void Offsets_are_never_reused_even_after_the_store_was_emptied_and_reopened()
    {
        using (var store = _folder.Open())
        {
            StoreFolder.AppendRange(store, 0, 2 * StoreFolder.PerSegment);
            store.RemoveThrough(2 * StoreFolder.PerSegment - 1);
        }

        using var reopened = _folder.Open();

        reopened.Count.Should().Be(0);
        reopened.Append(StoreFolder.Data(0)).Offset.Should().Be(2 * StoreFolder.PerSegment);
    }

    [Fact]
    public void The_callers_state_is_saved_with_the_checkpoint_with_the_last_offset_it_covers()
    {
        var state = "sequences v1"u8.ToArray();
        using (var store = _folder.Open(captureState: () => state))
        {
            store.StateAtOpen.CoversThrough.Should().Be(-1, "a new store has no saved state");
            StoreFolder.AppendRange(store, 0, 5);
            store.RemoveThrough(2);
        }

        using var reopened = _folder.Open();

        reopened.StateAtOpen.Data.Should().Equal(state);
        reopened.StateAtOpen.CoversThrough.Should().Be(4);
    }

    [Fact]
    public void A_record_is_handed_to_readers_only_once_it_is_on_disk()
    {
        using (var store = _folder.Open(_folder.Options(flushIntervalMilliseconds: 10_000)))
        {
            StoreFolder.AppendRange(store, 0, 3);

            store.Read(0, 10).Records.Should().BeEmpty("nothing was forced to disk yet");
            store.WaitForRecordsAsync(0, CancellationToken.None).IsCompleted.Should().BeFalse();
        }

        using var reopened = _folder.Open(_folder.Options(flushIntervalMilliseconds: 10_000));
        StoreFolder.Offsets(StoreFolder.ReadAll(reopened)).Should().Equal(0, 1, 2);
    }

    [Fact]
    public async Task A_reader_waiting_for_records_is_woken_by_the_next_flush()
    {
        using var store = _folder.Open(_folder.Options(flushIntervalMilliseconds: 20));
        var waiting = store.WaitForRecordsAsync(0, CancellationToken.None);

        store.Append(StoreFolder.Data(0));

        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        StoreFolder.Offsets(StoreFolder.ReadAll(store)).Should().Equal(0);
    }

    [Fact]
    public void A_second_process_or_instance_cannot_open_the_same_folder()
    {
        using var store = _folder.Open();

        var second = () => _folder.Open();

        second.Should().Throw<IOException>().WithMessage("*in use by another process*");
    }

    [Fact]
    public void A_record_larger_than_a_segment_is_refused()
    {
        using var store = _folder.Open();

        var append = () => store.Append(new byte[store.MaxRecordLength + 1]);

        append.Should().Throw<ArgumentException>();
        store.Append(new byte[store.MaxRecordLength]).Offset.Should().Be(0);
    }

    public void Dispose() => _folder.Dispose();
}
