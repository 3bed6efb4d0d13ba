using EdgeSafety.Contracts;
using EdgeSafety.Devices;
using EdgeSafety.Modbus;
using Microsoft.Extensions.Options;

namespace EdgeSafety.EdgeAgent;

/// <summary>
/// Polls the devices of every bus. Each bus has one thread and one Modbus connection, so exactly one
/// transaction is on a serial line at a time; devices are polled in order of when they are due. A device
/// that fails is logged when it starts and stops failing, not on every poll.
/// </summary>
public sealed partial class BusPoller(
    IOptions<AgentOptions> options,
    DeviceProfiles profiles,
    Outbox outbox,
    AgentMetrics metrics,
    TimeProvider time,
    ILogger<BusPoller> logger) : BackgroundService
{
    private static readonly TimeSpan ReopenDelay = TimeSpan.FromSeconds(5);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var buses = settings.Buses.Select(bus =>
        {
            var devices = settings.Devices
                .Where(d => d.Bus == bus.Name)
                .Select(d => new PolledDevice(d, profiles[d.Profile], ReadPlan.For(profiles[d.Profile])))
                .ToList();
            return Task.Factory.StartNew(() => PollBus(bus, devices, stoppingToken), stoppingToken,
                TaskCreationOptions.LongRunning, TaskScheduler.Default);
        });
        return Task.WhenAll(buses);
    }

    private void PollBus(BusOptions bus, List<PolledDevice> devices, CancellationToken stoppingToken)
    {
        if (devices.Count == 0)
        {
            return;
        }

        ModbusClient? client = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                client ??= TryOpen(bus);
                if (client is null)
                {
                    stoppingToken.WaitHandle.WaitOne(ReopenDelay);
                    continue;
                }

                var device = devices.MinBy(d => d.NextDue)!;
                var wait = device.NextDue - time.GetUtcNow();
                if (wait > TimeSpan.Zero && stoppingToken.WaitHandle.WaitOne(wait))
                {
                    break;
                }

                if (!Poll(client, bus, device))
                {
                    // The port itself failed (unplugged USB adapter): reopen it rather than poll a dead handle.
                    client.Dispose();
                    client = null;
                }

                var now = time.GetUtcNow();
                device.NextDue += device.Interval;
                if (device.NextDue < now)
                {
                    // Behind schedule (slow answers, a timeout): skip missed slots instead of bursting to catch up.
                    device.NextDue = now + device.Interval;
                }
            }
        }
        finally
        {
            client?.Dispose();
        }
    }

    private ModbusClient? TryOpen(BusOptions bus)
    {
        try
        {
            var client = ModbusClient.ConnectRtu(bus.ToSettings(), TimeSpan.FromMilliseconds(bus.ResponseTimeoutMilliseconds));
            LogBusOpened(bus.Name, bus.DevicePath, bus.BaudRate);
            return client;
        }
        catch (ModbusException ex)
        {
            LogBusOpenFailed(bus.Name, bus.DevicePath, ex.Message, ReopenDelay);
            return null;
        }
    }

    /// <summary>Polls one device; false when the serial port itself failed.</summary>
    private bool Poll(ModbusClient client, BusOptions bus, PolledDevice device)
    {
        Dictionary<string, double> values;
        try
        {
            values = DeviceReader.Read(client, (byte)device.Settings.UnitId, device.Plan);
        }
        catch (ModbusException ex)
        {
            metrics.PollFailures.Increment(ex.Kind.ToString());
            if (!device.Failing)
            {
                device.Failing = true;
                LogDeviceFailing(device.Settings.Id, bus.Name, device.Settings.UnitId, ex.Message);
            }

            return ex.Kind is not (ModbusErrorKind.Io or ModbusErrorKind.ConnectionFailed);
        }

        if (device.Failing)
        {
            device.Failing = false;
            LogDeviceRecovered(device.Settings.Id, bus.Name);
        }

        metrics.Polls.Increment();
        var settings = options.Value;
        var readAt = time.GetUtcNow();
        outbox.Add(device.Settings.Id, Topics.Readings(settings.SiteId, settings.GatewayId, device.Settings.Id), sequence =>
            ReadingCodec.Serialize(new Reading(device.Settings.Id, device.Profile.Kind, device.Profile.Model, device.Settings.Unit,
                sequence, readAt, values)));
        return true;
    }

    private sealed class PolledDevice(DeviceOptions settings, DeviceProfile profile, IReadOnlyList<RegisterBlock> plan)
    {
        public DeviceOptions Settings { get; } = settings;

        public DeviceProfile Profile { get; } = profile;

        public IReadOnlyList<RegisterBlock> Plan { get; } = plan;

        public TimeSpan Interval { get; } = TimeSpan.FromMilliseconds(settings.PollIntervalMilliseconds);

        public DateTimeOffset NextDue { get; set; } = DateTimeOffset.MinValue;

        public bool Failing { get; set; }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Bus {Bus} open on {Path} at {Baud} baud")]
    private partial void LogBusOpened(string bus, string path, int baud);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Error, Message = "Bus {Bus}: cannot open {Path} ({Error}); trying again in {Delay}")]
    private partial void LogBusOpenFailed(string bus, string path, string error, TimeSpan delay);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Device {Device} on bus {Bus} (unit {UnitId}) is not answering: {Error}")]
    private partial void LogDeviceFailing(string device, string bus, int unitId, string error);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information, Message = "Device {Device} on bus {Bus} answers again")]
    private partial void LogDeviceRecovered(string device, string bus);
}
