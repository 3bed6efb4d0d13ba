using System.Threading.Channels;
using EdgeSafety.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace EdgeSafety.EdgeAgent;

/// <summary>A reading ready to publish: its topic and its encoded payload.</summary>
public sealed record OutgoingMessage(string Topic, byte[] Payload);

/// <summary>
/// Readings between the pollers and the broker. Bounded: while the broker is away the oldest readings are
/// dropped first, and every drop is counted and logged. (Kept in memory for now; the on-disk store that
/// survives restarts replaces it with the field-ready agent.)
/// </summary>
public sealed partial class Outbox
{
    private readonly Channel<OutgoingMessage> _channel;
    private readonly MetricCounter _dropped;
    private readonly ILogger<Outbox> _logger;

    public Outbox(IOptions<AgentOptions> options, ServiceMetrics metrics, ILogger<Outbox> logger)
    {
        _logger = logger;
        _dropped = metrics.Counter("agent_readings_dropped_total", "Readings dropped because the outbox was full (oldest first).");
        _channel = Channel.CreateBounded<OutgoingMessage>(
            new BoundedChannelOptions(options.Value.OutboxCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            OnDropped);
    }

    public int Count => _channel.Reader.Count;

    public ChannelReader<OutgoingMessage> Reader => _channel.Reader;

    public void Add(OutgoingMessage message) => _channel.Writer.TryWrite(message);

    private void OnDropped(OutgoingMessage message)
    {
        _dropped.Increment();
        LogDropped(message.Topic, _dropped.Value);
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Outbox full: dropped the oldest reading ({Topic}); {Dropped} dropped so far")]
    private partial void LogDropped(string topic, long dropped);
}
