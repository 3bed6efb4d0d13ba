using System.Collections.Concurrent;
using System.Threading.Channels;
using EdgeSafety.Contracts;
using EdgeSafety.Dashboard.Access;

namespace EdgeSafety.Dashboard.Live;

/// <summary>The latest reading of one device, located in the registry (the unit and building the page shows it in).</summary>
public sealed record DeviceSnapshot(
    string Site,
    string Gateway,
    string Device,
    string? Unit,
    string? Building,
    string Kind,
    string Profile,
    long Seq,
    DateTimeOffset Ts,
    IReadOnlyDictionary<string, double> Values);

/// <summary>Whether a device answers its gateway, from its events (offline, online, tampered, restored) and its readings.</summary>
public sealed record DeviceHealth(string Site, string Gateway, string Device, bool? Answering, string? LastEvent, DateTimeOffset? LastEventAt);

/// <summary>
/// A gateway's presence from its retained status topic, with the recorded warnings it announced it can play (null:
/// it has not said, as an older agent does not).
/// </summary>
public sealed record GatewayPresence(string Site, string Gateway, string Status, DateTimeOffset StatusAt, IReadOnlyList<string>? WarningMessages = null);

/// <summary>One event of the live stream, with where it happened so each watcher's scope can be applied.</summary>
public sealed record LiveEvent(string Name, string Site, string? Building, string? Unit, object Payload);

/// <summary>
/// What the broker says now (latest readings, device health, gateway presence) and the pages watching. Each watcher
/// has a scope filter and its own small queue that drops its oldest event when the browser is slow: a stalled tab
/// costs a few kilobytes, never the server's memory.
/// </summary>
public sealed class LiveHub(CurrentRegistry registry)
{
    private const int WatcherQueueLength = 512;
    // With the unit the gateway reported, so the reading can be located again when the registry changes.
    private readonly ConcurrentDictionary<(string Site, string Gateway, string Device), (DeviceSnapshot Snapshot, string? ReportedUnit)> _latest = new();
    private readonly ConcurrentDictionary<(string Site, string Gateway, string Device), DeviceHealth> _health = new();
    private readonly ConcurrentDictionary<(string Site, string Gateway), GatewayPresence> _gateways = new();
    private readonly ConcurrentDictionary<Channel<LiveEvent>, Func<LiveEvent, bool>> _watchers = new();

    /// <summary>Latest readings, located with the registry as it is now (an assignment made since moves them).</summary>
    public IReadOnlyList<DeviceSnapshot> Latest => [.. _latest.Values.Select(latest => Relocate(latest.Snapshot, latest.ReportedUnit))
        .OrderBy(s => s.Site, StringComparer.Ordinal).ThenBy(s => s.Gateway, StringComparer.Ordinal).ThenBy(s => s.Device, StringComparer.Ordinal)];

    public IReadOnlyList<GatewayPresence> Gateways => [.. _gateways.Values];

    public DeviceHealth? Health(string site, string gateway, string device) => _health.GetValueOrDefault((site, gateway, device));

    public GatewayPresence? Gateway(string site, string gateway) => _gateways.GetValueOrDefault((site, gateway));

    public void Update(ReadingSource source, Reading reading)
    {
        var (unit, building) = registry.Value.Locate(source.Site, source.Gateway, reading.Device, reading.Unit);
        var snapshot = new DeviceSnapshot(source.Site, source.Gateway, reading.Device, unit, building, ReadingCodec.KindName(reading.Kind),
            reading.Profile, reading.Sequence, reading.Timestamp, reading.Values);
        _latest.AddOrUpdate((source.Site, source.Gateway, reading.Device), (snapshot, reading.Unit),
            (_, previous) => previous.Snapshot.Ts > snapshot.Ts ? previous : (snapshot, reading.Unit));
        Publish(new LiveEvent("reading", source.Site, building, unit, snapshot));
    }

    public void Update(ReadingSource source, DeviceEvent deviceEvent)
    {
        bool? answering = deviceEvent.Event switch
        {
            DeviceEventKind.Offline => false,
            DeviceEventKind.Online => true,
            _ => _health.GetValueOrDefault((source.Site, source.Gateway, deviceEvent.Device))?.Answering,
        };
        var name = DeviceEventCodec.EventName(deviceEvent.Event);
        var health = new DeviceHealth(source.Site, source.Gateway, deviceEvent.Device, answering, name, deviceEvent.Timestamp);
        _health[(source.Site, source.Gateway, deviceEvent.Device)] = health;
        var (unit, building) = registry.Value.Locate(source.Site, source.Gateway, deviceEvent.Device, null);
        Publish(new LiveEvent("device", source.Site, building, unit, health));
    }

    /// <summary>An offline status (the will, which lists nothing) keeps the warnings the gateway announced when online.</summary>
    public void Update(string site, string gateway, bool online, IReadOnlyList<string>? warnings, DateTimeOffset at)
    {
        var presence = new GatewayPresence(site, gateway, online ? "online" : "offline", at,
            online ? warnings : warnings ?? _gateways.GetValueOrDefault((site, gateway))?.WarningMessages);
        _gateways[(site, gateway)] = presence;
        Publish(new LiveEvent("gateway", site, registry.Value.BuildingOfGateway(site, gateway), null, presence));
    }

    public void Publish(LiveEvent live)
    {
        foreach (var (watcher, visible) in _watchers)
        {
            if (visible(live))
            {
                watcher.Writer.TryWrite(live);
            }
        }
    }

    /// <summary>
    /// Every event the scope lets through, from now until the caller stops watching, after <paramref name="first"/>:
    /// it comes once the watcher is registered, so whoever waits for it misses nothing published afterwards.
    /// </summary>
    public async IAsyncEnumerable<LiveEvent> WatchAsync(Func<UserScope> scope, LiveEvent first,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<LiveEvent>(new BoundedChannelOptions(WatcherQueueLength)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        _watchers.TryAdd(channel, live => scope().CanSee(live.Site, live.Building, live.Unit));
        try
        {
            yield return first;
            await foreach (var live in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return live;
            }
        }
        finally
        {
            _watchers.TryRemove(channel, out _);
        }
    }

    private DeviceSnapshot Relocate(DeviceSnapshot snapshot, string? reportedUnit)
    {
        var (unit, building) = registry.Value.Locate(snapshot.Site, snapshot.Gateway, snapshot.Device, reportedUnit);
        return snapshot with { Unit = unit, Building = building };
    }
}
