using System.Collections.Concurrent;

namespace EdgeSafety.EdgeAgent;

/// <summary>
/// One device's state as the poller sees it, for diagnostics. Answering is null until the device's first poll since the
/// agent started; BackedOff means it is not answering and so polled only now and then.
/// </summary>
public sealed record DeviceStatus(string Device, string Bus, bool? Answering, bool BackedOff, DateTimeOffset? LastReadingAt);

/// <summary>Every configured device's <see cref="DeviceHealth"/>, kept by the poller, read by diagnostics.</summary>
public sealed class DeviceStatuses
{
    private readonly ConcurrentDictionary<string, DeviceHealth> _devices = new(StringComparer.Ordinal);

    public IReadOnlyList<DeviceStatus> Snapshot() =>
        [.. _devices.Values.Select(health => health.Status()).OrderBy(status => status.Device, StringComparer.Ordinal)];

    /// <summary>The device's health, created the first time it is configured.</summary>
    internal DeviceHealth For(string device, DeviceEvents events) => _devices.GetOrAdd(device, id => new DeviceHealth(id, events));

    /// <summary>Forgets devices no longer configured.</summary>
    internal void KeepOnly(IReadOnlySet<string> devices)
    {
        foreach (var gone in _devices.Keys.Where(id => !devices.Contains(id)))
        {
            _devices.TryRemove(gone, out _);
        }
    }
}
