using System.Text.Json;
using Microsoft.Extensions.Options;

namespace EdgeSafety.EdgeAgent;

/// <summary>
/// Runs one <see cref="BusScheduler"/> per configured bus and TCP endpoint, and follows the site configuration: when it
/// changes, the schedulers of buses whose settings or devices changed, or that went away, are stopped and the new ones
/// started; the others keep polling. Device health (and so which events were raised) is kept across such restarts;
/// sequence numbers live in the outbox and are never touched.
/// </summary>
public sealed partial class BusPoller(
    SiteConfiguration site,
    Outbox outbox,
    DeviceEvents events,
    DeviceStatuses statuses,
    AgentMetrics metrics,
    TimeProvider time,
    ILoggerFactory loggers) : BackgroundService
{
    private readonly SemaphoreSlim _changing = new(1, 1);
    private readonly Dictionary<string, (string Fingerprint, BusScheduler Scheduler)> _running = new(StringComparer.Ordinal);
    private readonly ILogger<BusPoller> _logger = loggers.CreateLogger<BusPoller>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunAsync(site.Follow(RunAsync), stoppingToken);
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            await _changing.WaitAsync(CancellationToken.None);
            await Task.WhenAll(_running.Values.Select(r => r.Scheduler.StopAsync()));
            _running.Clear();
            _changing.Release();
        }
    }

    /// <summary>Makes the running schedulers match <paramref name="options"/> (already validated).</summary>
    private async Task RunAsync(AgentOptions options, CancellationToken cancellationToken)
    {
        await _changing.WaitAsync(cancellationToken);
        try
        {
            var profiles = DeviceProfiles.Load(Options.Create(options));
            var wanted = options.AllBuses()
                .Select(bus => (Bus: bus, Devices: options.Devices.Where(d => d.Bus == bus.Name).ToList()))
                .Where(b => b.Devices.Count > 0)
                .ToDictionary(b => b.Bus.Name, b => (b.Bus, b.Devices, Fingerprint: Fingerprint(options, b.Bus.Name, b.Devices, profiles)), StringComparer.Ordinal);

            foreach (var (name, running) in _running.Where(r => !wanted.TryGetValue(r.Key, out var w) || w.Fingerprint != r.Value.Fingerprint).ToList())
            {
                await running.Scheduler.StopAsync();
                _running.Remove(name);
                if (!wanted.ContainsKey(name))
                {
                    metrics.RemoveBus(name);
                }

                LogBusStopped(name);
            }

            statuses.KeepOnly(options.Devices.Select(d => d.Id).ToHashSet(StringComparer.Ordinal));

            foreach (var (name, (bus, devices, fingerprint)) in wanted.Where(w => !_running.ContainsKey(w.Key)))
            {
                var scheduled = devices.Select(d => new ScheduledDevice(d, profiles[d.Profile], statuses.For(d.Id, events))).ToList();
                var scheduler = new BusScheduler(bus, scheduled, options.ReadingsTopic, outbox, metrics, time,
                    loggers.CreateLogger<BusScheduler>());
                scheduler.Start();
                _running[name] = (fingerprint, scheduler);
                LogBusStarted(name, bus.Where, devices.Count);
            }
        }
        finally
        {
            _changing.Release();
        }
    }

    /// <summary>Everything a bus's scheduler depends on: its settings, its devices' and their profiles', the form of the readings topic.</summary>
    private static string Fingerprint(AgentOptions options, string bus, List<DeviceOptions> devices, DeviceProfiles profiles) =>
        JsonSerializer.Serialize(new object?[]
        {
            options.Buses.FirstOrDefault(b => b.Name == bus),
            options.TcpEndpoints.FirstOrDefault(e => e.Name == bus),
            devices,
            devices.Select(d => profiles[d.Profile]),
            options.PartitionedReadings,
        });

    [LoggerMessage(EventId = 1105, Level = LogLevel.Information, Message = "Polling {Devices} device(s) on bus {Bus} ({Where})")]
    private partial void LogBusStarted(string bus, string where, int devices);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Information, Message = "Stopped polling bus {Bus} (its settings or devices changed, or it was removed)")]
    private partial void LogBusStopped(string bus);
}
