using System.Threading.Channels;

namespace EdgeSafety.Alerts;

/// <summary>
/// The hand-over from analysers (on MQTT threads) to the alert engine. Bounded so a stalled engine cannot take
/// the process's memory; signals are rare, so a full queue means the engine is stuck and the producer waits
/// rather than dropping a signal.
/// </summary>
public sealed class AlertSignalQueue(int capacity = 10_000)
{
    private readonly Channel<AlertSignal> _channel = Channel.CreateBounded<AlertSignal>(
        new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public int Count => _channel.Reader.Count;

    public ChannelReader<AlertSignal> Reader => _channel.Reader;

    public void Add(AlertSignal signal, CancellationToken cancellationToken)
    {
        if (!_channel.Writer.TryWrite(signal))
        {
            _channel.Writer.WriteAsync(signal, cancellationToken).AsTask().GetAwaiter().GetResult();
        }
    }
}
