using System.Collections.Concurrent;
using System.Threading.Channels;
using EdgeSafety.Contracts;

namespace EdgeSafety.Dashboard;

/// <summary>The latest reading of one device, as the page shows it.</summary>
public sealed record DeviceSnapshot(
    string Site,
    string Gateway,
    string Device,
    string? Unit,
    string Kind,
    string Profile,
    long Seq,
    DateTimeOffset Ts,
    IReadOnlyDictionary<string, double> Values);

/// <summary>
/// The latest reading of every device, and the browsers watching. Each watcher has its own small queue that
/// drops its oldest update when the browser is slow: a stalled tab costs a few kilobytes, never the server's memory.
/// </summary>
public sealed class LiveReadings
{
    private const int WatcherQueueLength = 256;
    private readonly ConcurrentDictionary<string, DeviceSnapshot> _latest = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Channel<DeviceSnapshot>, byte> _watchers = new();

    public IReadOnlyList<DeviceSnapshot> Latest =>
        [.. _latest.Values.OrderBy(s => s.Site, StringComparer.Ordinal).ThenBy(s => s.Device, StringComparer.Ordinal)];

    public void Update(ReadingSource source, Reading reading)
    {
        var snapshot = new DeviceSnapshot(source.Site, source.Gateway, reading.Device, reading.Unit,
            ReadingCodec.KindName(reading.Kind), reading.Profile, reading.Sequence, reading.Timestamp, reading.Values);
        var key = $"{source.Site}/{source.Gateway}/{reading.Device}";
        _latest.AddOrUpdate(key, snapshot, (_, previous) => previous.Ts > snapshot.Ts ? previous : snapshot);
        foreach (var watcher in _watchers.Keys)
        {
            watcher.Writer.TryWrite(snapshot);
        }
    }

    /// <summary>Every update from now until the caller stops watching.</summary>
    public async IAsyncEnumerable<DeviceSnapshot> WatchAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<DeviceSnapshot>(new BoundedChannelOptions(WatcherQueueLength)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        _watchers.TryAdd(channel, 0);
        try
        {
            await foreach (var snapshot in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return snapshot;
            }
        }
        finally
        {
            _watchers.TryRemove(channel, out _);
        }
    }
}
