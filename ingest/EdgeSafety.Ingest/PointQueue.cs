using System.Threading.Channels;
using EdgeSafety.Influx;

namespace EdgeSafety.Ingest;

/// <summary>
/// The bounded hand-over from the MQTT thread to the InfluxDB writer: the points of every reading, and the points
/// analysers derive from them (noise windows, charging sessions). Bounded on purpose: when InfluxDB is slow the
/// queue fills, the MQTT thread waits, and the broker keeps the backlog instead of our memory.
/// </summary>
public sealed class PointQueue(int capacity)
{
    private readonly Channel<InfluxPoint> _channel = Channel.CreateBounded<InfluxPoint>(
        new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    public int Count => _channel.Reader.Count;

    public ChannelReader<InfluxPoint> Reader => _channel.Reader;

    /// <summary>Called on the MQTT network thread only (single writer); blocks while the queue is full (see the class comment).</summary>
    public void Add(InfluxPoint point, CancellationToken cancellationToken)
    {
        if (!_channel.Writer.TryWrite(point))
        {
            _channel.Writer.WriteAsync(point, cancellationToken).AsTask().GetAwaiter().GetResult();
        }
    }
}
