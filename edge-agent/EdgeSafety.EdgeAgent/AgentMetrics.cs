using System.Collections.Concurrent;
using EdgeSafety.ServiceDefaults;

namespace EdgeSafety.EdgeAgent;

/// <summary>The agent's figures on /metrics (the store's gauges are registered by <see cref="Outbox"/>).</summary>
public sealed class AgentMetrics
{
    private readonly ConcurrentDictionary<string, BusLoad> _buses = new(StringComparer.Ordinal);

    public AgentMetrics(ServiceMetrics metrics, TimeProvider time)
    {
        Polls = metrics.Counter("agent_polls_total", "Device polls that returned every value.");
        PollFailures = metrics.Counter("agent_poll_failures_total", "Device polls that failed after their retries, by cause.");
        UnusableValues = metrics.Counter("agent_unusable_values_total",
            "Values devices answered that are not a finite number (a float32 NaN or infinity, or past double's range once scaled), left out of their readings.");
        Published = metrics.Counter("agent_readings_published_total", "Readings and device events the broker acknowledged.");
        StoreDropped = metrics.Counter("agent_store_dropped_total",
            "Readings lost before the broker took them: over the store's byte or age limit, damaged on disk, or not storable (each burst is logged with its reason).");
        Transactions = metrics.Counter("agent_bus_transactions_total", "Modbus transactions tried on each bus (retries included).", "bus");
        Timeouts = metrics.Counter("agent_bus_timeouts_total", "Transactions without a reply within the response timeout, per bus.", "bus");
        CrcErrors = metrics.Counter("agent_bus_crc_errors_total", "Replies with a wrong CRC, per bus.", "bus");
        Retries = metrics.Counter("agent_bus_retries_total", "Failed transactions tried again, per bus.", "bus");
        metrics.Gauge("agent_bus_backed_off_devices", "Devices not answering, polled only now and then (backed off), per bus.", "bus",
            () => _buses.Select(b => KeyValuePair.Create(b.Key, (double)b.Value.BackedOffDevices)));
        metrics.Gauge("agent_bus_utilisation",
            "Share of the last full 10 s a serial bus's wire was busy (request and reply bits and the silences around them at its baud rate); 1 is the wire-time limit.",
            "bus", () => _buses.Where(b => b.Value.HasWireTime).Select(b => KeyValuePair.Create(b.Key, b.Value.Utilisation(time.GetUtcNow()))));
    }

    public MetricCounter Polls { get; }

    public MetricCounter PollFailures { get; }

    public MetricCounter UnusableValues { get; }

    public MetricCounter Published { get; }

    public MetricCounter StoreDropped { get; }

    public MetricCounter Transactions { get; }

    public MetricCounter Timeouts { get; }

    public MetricCounter CrcErrors { get; }

    public MetricCounter Retries { get; }

    /// <summary>The bus's load figures from now on (a bus's figures are kept while its poller restarts).</summary>
    public BusLoad Bus(string name, bool hasWireTime) => _buses.GetOrAdd(name, _ => new BusLoad(hasWireTime));

    /// <summary>The bus is no longer configured: its gauges go.</summary>
    public void RemoveBus(string name) => _buses.TryRemove(name, out _);
}

/// <summary>One bus's gauges: devices backed off, and the wire time used per 10 s window.</summary>
public sealed class BusLoad(bool hasWireTime)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private readonly Lock _sync = new();
    private long _window;
    private TimeSpan _current;
    private TimeSpan _previous;
    private int _backedOff;

    public bool HasWireTime { get; } = hasWireTime;

    public int BackedOffDevices => Volatile.Read(ref _backedOff);

    public void SetBackedOffDevices(int count) => Volatile.Write(ref _backedOff, count);

    public void AddWireTime(TimeSpan wireTime, DateTimeOffset at)
    {
        lock (_sync)
        {
            Roll(at);
            _current += wireTime;
        }
    }

    /// <summary>Wire time over the last full window, as a share of it.</summary>
    public double Utilisation(DateTimeOffset now)
    {
        lock (_sync)
        {
            Roll(now);
            return _previous / Window;
        }
    }

    private void Roll(DateTimeOffset now)
    {
        var window = now.UtcTicks / Window.Ticks;
        if (window == _window)
        {
            return;
        }

        _previous = window == _window + 1 ? _current : TimeSpan.Zero;
        _current = TimeSpan.Zero;
        _window = window;
    }
}
