using System.Threading.Channels;

namespace EdgeSafety.Ingest;

/// <summary>
/// The bounded hand-over from the MQTT thread to the InfluxDB writer. Bounded on purpose: when InfluxDB is
/// slow the queue fills, the MQTT thread waits, and the broker keeps the backlog instead of our memory.
/// </summary>
public sealed class ReadingQueue(int capacity)
{
    private readonly Channel<ReceivedReading> _channel = Channel.CreateBounded<ReceivedReading>(
        new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    public int Count => _channel.Reader.Count;

    public ChannelReader<ReceivedReading> Reader => _channel.Reader;

    /// <summary>Called on the MQTT network thread; blocks while the queue is full (see the class comment).</summary>
    public void Add(ReceivedReading reading, CancellationToken cancellationToken)
    {
        if (!_channel.Writer.TryWrite(reading))
        {
            _channel.Writer.WriteAsync(reading, cancellationToken).AsTask().GetAwaiter().GetResult();
        }
    }
}
