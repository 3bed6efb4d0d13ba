using Microsoft.Extensions.Logging;

namespace EdgeSafety.Storage.Tests;

/// <summary>
/// What a power cut or a bad sector leaves behind. A damaged frame in the newest segment at open is taken for a torn
/// write and the file is cut there; a damaged frame in an older segment makes the rest of that segment unreadable:
/// those records are skipped once, counted and logged, and reading goes on with the next segment. Records before the
/// damage are never lost.
/// </summary>
public sealed class DamageTests : IDisposable
{
    private const int FrameLength = RecordFrame.HeaderLength + StoreFolder.DataLength;
    private readonly StoreFolder _folder = new();

    [Fact]
    public void A_torn_last_record_is_cut_on_open_and_the_records_before_it_stay()
    {
        WriteRecords(10);
        using (var file = new FileStream(_folder.Segments()[^1], FileMode.Open))
        {
            file.SetLength(file.Length - 5);
        }

        using var store = _folder.Open();

        StoreFolder.Offsets(StoreFolder.ReadAll(store)).Should().Equal(StoreFolder.Range(0, 9));
        StoreFolder.ReadAll(store)[^1].Data.Should().Equal(StoreFolder.Data(8));
        store.Append(StoreFolder.Data(9)).Offset.Should().Be(9, "the torn record was never handed out, so its offset is free");
        _folder.Log.Entries.Should().ContainSingle(e => e.Level == LogLevel.Warning && e.Message.Contains($"cut {FrameLength - 5} bytes of a torn write", StringComparison.Ordinal));
    }

    [Fact]
    public void Garbage_after_the_last_record_is_cut_on_open()
    {
        WriteRecords(10);
        File.AppendAllText(_folder.Segments()[^1], "half a frame\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0");

        using var store = _folder.Open();

        StoreFolder.Offsets(StoreFolder.ReadAll(store)).Should().Equal(StoreFolder.Range(0, 10));
        new FileInfo(_folder.Segments()[^1]).Length.Should().Be(10 * FrameLength);
    }

    [Fact]
    public void A_damaged_record_in_the_newest_segment_cuts_it_there()
    {
        WriteRecords(10);
        FlipByteOfRecord(_folder.Segments()[^1], indexInSegment: 5);

        using var store = _folder.Open();

        StoreFolder.Offsets(StoreFolder.ReadAll(store)).Should().Equal(StoreFolder.Range(0, 5));
    }

    [Fact]
    public void A_damaged_record_in_an_older_segment_loses_the_rest_of_that_segment_once_and_reading_goes_on_after_it()
    {
        var total = 3 * StoreFolder.PerSegment;
        WriteRecords(total);
        var damaged = StoreFolder.PerSegment + 7;
        FlipByteOfRecord(_folder.Segments()[1], indexInSegment: 7);
        using var store = _folder.Open();

        var first = store.Read(0, int.MaxValue);
        var again = store.Read(0, int.MaxValue);

        var expected = StoreFolder.Range(0, damaged).Concat(StoreFolder.Range(2 * StoreFolder.PerSegment, total)).ToList();
        StoreFolder.Offsets(first.Records).Should().Equal(expected);
        first.Lost.Should().Be(StoreFolder.PerSegment - 7);
        StoreFolder.Offsets(again.Records).Should().Equal(expected, "the same damage gives the same result");
        again.Lost.Should().Be(0, "lost records are counted once");
        _folder.Log.Errors.Should().ContainSingle().Which.Message.Should().Contain($"damaged at offset {damaged}");
    }

    [Fact]
    public void A_damaged_checkpoint_is_reported_and_the_store_starts_from_its_oldest_segment()
    {
        using (var store = _folder.Open())
        {
            StoreFolder.AppendRange(store, 0, 10);
            store.RemoveThrough(4);
        }

        File.WriteAllText(Path.Combine(_folder.Path, "checkpoint"), "not a checkpoint");
        using var reopened = _folder.Open();

        StoreFolder.Offsets(StoreFolder.ReadAll(reopened)).Should().Equal(StoreFolder.Range(0, 10), "removed records come back rather than unremoved ones going");
        _folder.Log.Errors.Should().ContainSingle().Which.Message.Should().Contain("checkpoint is unreadable");
    }

    private void WriteRecords(int count)
    {
        using var store = _folder.Open();
        StoreFolder.AppendRange(store, 0, count);
    }

    /// <summary>Flips one bit in a record's data, as a bad sector would: its length and offset still read fine.</summary>
    private static void FlipByteOfRecord(string segment, int indexInSegment)
    {
        using var file = new FileStream(segment, FileMode.Open);
        file.Position = (long)indexInSegment * FrameLength + RecordFrame.HeaderLength + 3;
        var value = file.ReadByte();
        file.Position--;
        file.WriteByte((byte)(value ^ 0x10));
    }

    public void Dispose() => _folder.Dispose();
}
