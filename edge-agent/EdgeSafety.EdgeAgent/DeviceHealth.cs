using EdgeSafety.Contracts;

namespace EdgeSafety.EdgeAgent;

/// <summary>
/// What the agent knows of one device's health, and the events its changes raise: offline when a poll fails after
/// its retries (once, not on every failed poll), online when it answers again; for a meter, tampered when it reports
/// no voltage after having had voltage (unplugged from its circuit, or tampered with), restored when voltage returns.
/// Lives as long as the device is configured, across restarts of its bus's poller. Changed by one bus thread at a
/// time; <see cref="Status"/> may be read from any thread.
/// </summary>
public sealed class DeviceHealth(string device, DeviceEvents events)
{
    /// <summary>The value a meter's voltage is read into (docs/protocol.md value table).</summary>
    public const string VoltageValue = "voltage_v";

    /// <summary>At or below this a meter has no voltage (a disconnected input reads a few tenths of a volt).</summary>
    public const double NoVoltageAtMost = 5;

    /// <summary>At or above this a meter has voltage (household mains are 220-240 V; the gap avoids flapping).</summary>
    public const double VoltageAtLeast = 50;

    private DateTimeOffset _offlineSince;
    private bool _hadVoltage;
    private bool _tampered;
    private double _lastVoltage;

    private volatile DeviceStatus _status = new(device, string.Empty, null, false, null);

    public DeviceStatus Status() => _status;

    /// <summary>Where the device is polled now, and whether it is backed off there.</summary>
    public void Scheduled(string bus, bool backedOff) => _status = _status with { Bus = bus, BackedOff = backedOff };

    public void Answered(IReadOnlyDictionary<string, double> values, DateTimeOffset at)
    {
        var wasOffline = _status.Answering == false;
        _status = _status with { Answering = true, LastReadingAt = at };
        if (wasOffline)
        {
            events.Raise(device, DeviceEventKind.Online, new Dictionary<string, object> { ["offline_seconds"] = Math.Round((at - _offlineSince).TotalSeconds, 1) });
        }

        if (!values.TryGetValue(VoltageValue, out var voltage))
        {
            return;
        }

        if (voltage <= NoVoltageAtMost && _hadVoltage && !_tampered)
        {
            _tampered = true;
            events.Raise(device, DeviceEventKind.Tampered, new Dictionary<string, object> { [VoltageValue] = voltage, ["previous_voltage_v"] = _lastVoltage });
        }
        else if (voltage >= VoltageAtLeast)
        {
            if (_tampered)
            {
                _tampered = false;
                events.Raise(device, DeviceEventKind.Restored, new Dictionary<string, object> { [VoltageValue] = voltage });
            }

            _hadVoltage = true;
            _lastVoltage = voltage;
        }
    }

    /// <summary>A poll failed after its retries without a usable answer (timeouts, garbled replies).</summary>
    public void NotAnswering(string reason, string error, DateTimeOffset at)
    {
        if (_status.Answering == false)
        {
            return;
        }

        _status = _status with { Answering = false };
        _offlineSince = at;
        events.Raise(device, DeviceEventKind.Offline, new Dictionary<string, object> { ["reason"] = reason, ["error"] = error });
    }
}
