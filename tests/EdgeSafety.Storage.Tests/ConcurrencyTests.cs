using EdgeSafety.TestSupport;

namespace EdgeSafety.Storage.Tests;

/// <summary>One writer and one reader at full speed, through segment rolls and deletions.</summary>
public sealed class ConcurrencyTests : IDisposable
{
    private const int Total = 20_000;
    private readonly StoreFolder _folder = new();

    [Fact]
    public async Task A_reader_removing_what_it_read_sees_every_record_of_a_concurrent_writer_once_and_in_order()
    {
        using var store = _folder.Open(_folder.Options(maxBytes: 64L * 1024 * 1024, flushIntervalMilliseconds: 5));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var writer = Task.Run(() => StoreFolder.AppendRange(store, 0, Total));
        var reader = Task.Run(async () =>
        {
            var read = new List<StoredRecord>();
            while (read.Count < Total)
            {
                var batch = store.Read(read.Count, 500);
                if (batch.Records.Count == 0)
                {
                    await store.WaitForRecordsAsync(read.Count, timeout.Token);
                    continue;
                }

                read.AddRange(batch.Records);
                store.RemoveThrough(batch.Records[^1].Offset);
            }

            return read;
        });

        await writer.WaitAsync(timeout.Token);
        var records = await reader.WaitAsync(timeout.Token);

        StoreFolder.Offsets(records).Should().Equal(StoreFolder.Range(0, Total));
        records.Should().OnlyContain(r => r.Data.SequenceEqual(StoreFolder.Data(r.Offset)));
        await Eventually.SucceedsAsync(() => _folder.Segments().Should().ContainSingle("every full segment was removed"), TimeSpan.FromSeconds(10), "the removed segments to be deleted");
    }

    public void Dispose() => _folder.Dispose();
}
