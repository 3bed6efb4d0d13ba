using EdgeSafety.Contracts;
using EdgeSafety.Devices;
using EdgeSafety.Modbus;

namespace EdgeSafety.EdgeAgent;

/// <summary>A configured device as one bus's scheduler polls it.</summary>
public sealed class ScheduledDevice(DeviceOptions settings, DeviceProfile profile, DeviceHealth health)
{
    public DeviceOptions Settings { get; } = settings;

    public DeviceProfile Profile { get; } = profile;

    public IReadOnlyList<RegisterBlock> Plan { get; } = ReadPlan.For(profile);

    public DeviceHealth Health { get; } = health;

    public TimeSpan Interval { get; } = TimeSpan.FromMilliseconds(settings.PollIntervalMilliseconds);

    public DateTimeOffset NextDue { get; set; } = DateTimeOffset.MinValue;

    /// <summary>Polls failed in a row without a usable answer: above 0 the device is backed off.</summary>
    public int FailedPolls { get; set; }

    /// <summary>Logged as failing (logged once when it starts failing and once when it recovers).</summary>
    public bool Failing { get; set; }

    /// <summary>Logged as answering values that are not numbers (once: a meter that does so, does so on every poll).</summary>
    public bool AnsweredUnusable { get; set; }
}

/// <summary>
/// Polls the devices of one bus (a serial line or a Modbus TCP connection) on a thread of its own, so exactly one
/// transaction is on the bus at a time; the master keeps the inter-frame silence between them. Devices are polled in
/// order of when they are due, on a fixed grid: a device held up by less than its interval is polled at once and keeps
/// its rate; only whole missed intervals are skipped.
/// </summary>
/// <remarks>
/// A failed transaction is tried again up to the bus's Retries. A device whose poll fails after its retries without a
/// usable answer is backed off: polled again after 1 s, then 2, 4 ... up to 60 s, one attempt each time, so a silent
/// slave costs the others one response timeout a minute at most. A port that fails (an unplugged USB adapter, a TCP
/// connection lost) is closed and reopened with the same backoff.
/// </remarks>
public sealed partial class BusScheduler(
    ModbusBus bus,
    IReadOnlyList<ScheduledDevice> devices,
    Func<string, string> readingsTopic,
    Outbox outbox,
    AgentMetrics metrics,
    TimeProvider time,
    ILogger<BusScheduler> logger)
{
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan LongestBackoff = TimeSpan.FromSeconds(60);

    private readonly CancellationTokenSource _stopping = new();
    private readonly BusLoad _load = metrics.Bus(bus.Name, hasWireTime: bus.Line is not null);
    private Task _running = Task.CompletedTask;

    private enum Outcome
    {
        Answered,
        SlaveError,
        NoAnswer,
        PortFailed,
    }

    public void Start() =>
        _running = Task.Factory.StartNew(Run, _stopping.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Stops after the transaction on the bus now, if any, and closes the port.</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync();
        await _running;
        _stopping.Dispose();
    }

    /// <summary>The wait after <paramref name="failures"/> failures in a row: 1 s, 2 s, 4 s ... at most 60 s.</summary>
    public static TimeSpan Backoff(int failures) =>
        TimeSpan.FromTicks(Math.Min(LongestBackoff.Ticks, FirstBackoff.Ticks << Math.Min(failures - 1, 16)));

    private void Run()
    {
        var stop = _stopping.Token;
        ModbusClient? client = null;
        var openFailures = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                client ??= TryOpen(ref openFailures);
                if (client is null)
                {
                    stop.WaitHandle.WaitOne(Backoff(openFailures));
                    continue;
                }

                var device = devices.MinBy(d => d.NextDue)!;
                var wait = device.NextDue - time.GetUtcNow();
                if (wait > TimeSpan.Zero && stop.WaitHandle.WaitOne(wait))
                {
                    break;
                }

                if (Poll(client, device) == Outcome.PortFailed)
                {
                    client.Dispose();
                    client = null;
                }

                _load.SetBackedOffDevices(devices.Count(d => d.FailedPolls > 0));
            }
        }
        finally
        {
            client?.Dispose();
        }
    }

    private ModbusClient? TryOpen(ref int failures)
    {
        try
        {
            var client = bus.Open();
            failures = 0;
            LogBusOpened(bus.Name, bus.Where);
            return client;
        }
        catch (ModbusException ex)
        {
            failures++;
            LogBusOpenFailed(bus.Name, bus.Where, ex.Message, Backoff(failures));
            // Nothing on the bus can be reached: its devices are offline (each reported once) until it opens again.
            var now = time.GetUtcNow();
            foreach (var device in devices)
            {
                device.Health.NotAnswering(ex.Kind.ToString(), ex.Message, now);
            }

            return null;
        }
    }

    private Outcome Poll(ModbusClient client, ScheduledDevice device)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        ModbusException? failure = null;
        foreach (var block in device.Plan)
        {
            failure = Transact(client, device, block, values);
            if (failure is not null)
            {
                break;
            }
        }

        var now = time.GetUtcNow();
        var outcome = failure?.Kind switch
        {
            null => Outcome.Answered,
            // A TCP gateway's "path unavailable" (0x0A) or "target failed to respond" (0x0B): the device behind it is silent.
            ModbusErrorKind.SlaveException when failure.SlaveExceptionCode is 0x0A or 0x0B => Outcome.NoAnswer,
            ModbusErrorKind.SlaveException => Outcome.SlaveError,
            ModbusErrorKind.Io or ModbusErrorKind.ConnectionFailed => Outcome.PortFailed,
            _ => Outcome.NoAnswer,
        };
        if (outcome == Outcome.Answered)
        {
            Answered(device, values, now);
        }
        else
        {
            Failed(device, failure!, outcome, now);
        }

        if (outcome == Outcome.NoAnswer)
        {
            device.FailedPolls++;
            device.NextDue = now + TimeSpan.FromTicks(Math.Max(device.Interval.Ticks, Backoff(device.FailedPolls).Ticks));
        }
        else
        {
            device.FailedPolls = 0;
            NextOnGrid(device, now);
        }

        device.Health.Scheduled(bus.Name, backedOff: device.FailedPolls > 0);

        return outcome;
    }

    /// <summary>One block, tried again up to the bus's retries (once only for a backed-off device); the last failure, or null.</summary>
    private ModbusException? Transact(ModbusClient client, ScheduledDevice device, RegisterBlock block, Dictionary<string, double> values)
    {
        var attempts = device.FailedPolls > 0 ? 1 : 1 + bus.Retries;
        ModbusException? failure = null;
        for (var attempt = 1; attempt <= attempts && !_stopping.IsCancellationRequested; attempt++)
        {
            if (attempt > 1)
            {
                metrics.Retries.Increment(bus.Name);
            }

            metrics.Transactions.Increment(bus.Name);
            try
            {
                DeviceReader.ReadBlock(client, (byte)device.Settings.UnitId, block, values);
                CountWireTime(block, answered: true);
                return null;
            }
            catch (ModbusException ex)
            {
                failure = ex;
                CountWireTime(block, answered: ex.Kind != ModbusErrorKind.Timeout);
                switch (ex.Kind)
                {
                    case ModbusErrorKind.Timeout:
                        metrics.Timeouts.Increment(bus.Name);
                        break;
                    case ModbusErrorKind.BadCrc:
                        metrics.CrcErrors.Increment(bus.Name);
                        break;
                    case ModbusErrorKind.SlaveException or ModbusErrorKind.Io or ModbusErrorKind.ConnectionFailed:
                        // The device answered (its answer will not change), or the port itself failed: no retry.
                        return ex;
                }
            }
        }

        return failure;
    }

    private void CountWireTime(RegisterBlock block, bool answered)
    {
        if (bus.Line is { } line)
        {
            _load.AddWireTime(answered ? RtuWireTime.ReadRegisters(line, block.Count) : RtuWireTime.UnansweredRead(line), time.GetUtcNow());
        }
    }

    private void Answered(ScheduledDevice device, Dictionary<string, double> values, DateTimeOffset readAt)
    {
        if (device.Failing)
        {
            device.Failing = false;
            LogDeviceRecovered(device.Settings.Id, bus.Name);
        }

        metrics.Polls.Increment();
        var settings = device.Settings;
        // Every block was read, so a value of the profile missing here was decoded as no finite number and left out.
        var unusable = device.Profile.Values.Where(v => !values.ContainsKey(v.Name)).Select(v => v.Name).ToList();
        if (unusable.Count > 0)
        {
            metrics.UnusableValues.Add(unusable.Count);
            if (!device.AnsweredUnusable)
            {
                device.AnsweredUnusable = true;
                LogUnusableValues(settings.Id, bus.Name, string.Join(", ", unusable));
            }
        }

        if (values.Count > 0)
        {
            outbox.Add(settings.Id, readingsTopic(settings.Id), sequence =>
                ReadingCodec.Serialize(new Reading(settings.Id, device.Profile.Kind, device.Profile.Model, settings.Unit, sequence, readAt, values)));
        }

        device.Health.Answered(values, readAt);
    }

    private void Failed(ScheduledDevice device, ModbusException failure, Outcome outcome, DateTimeOffset at)
    {
        metrics.PollFailures.Increment(failure.Kind.ToString());
        if (!device.Failing)
        {
            device.Failing = true;
            LogDeviceFailing(device.Settings.Id, bus.Name, device.Settings.UnitId, failure.Message);
        }

        if (outcome is Outcome.NoAnswer or Outcome.PortFailed)
        {
            device.Health.NotAnswering(failure.Kind.ToString(), failure.Message, at);
        }
    }

    /// <summary>The next slot on the device's grid; whole intervals already missed are skipped, not burst through.</summary>
    private static void NextOnGrid(ScheduledDevice device, DateTimeOffset now)
    {
        device.NextDue = device.NextDue == DateTimeOffset.MinValue ? now + device.Interval : device.NextDue + device.Interval;
        if (now - device.NextDue >= device.Interval)
        {
            device.NextDue += device.Interval * Math.Floor((now - device.NextDue) / device.Interval);
        }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Bus {Bus} open on {Where}")]
    private partial void LogBusOpened(string bus, string where);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Error, Message = "Bus {Bus}: cannot open {Where} ({Error}); trying again in {Delay}")]
    private partial void LogBusOpenFailed(string bus, string where, string error, TimeSpan delay);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Device {Device} on bus {Bus} (unit {UnitId}) is not answering: {Error}")]
    private partial void LogDeviceFailing(string device, string bus, int unitId, string error);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information, Message = "Device {Device} on bus {Bus} answers again")]
    private partial void LogDeviceRecovered(string device, string bus);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Warning,
        Message = "Device {Device} on bus {Bus} answers values that are not numbers (NaN or infinite: {Values}); they are left out of its readings and counted in agent_unusable_values_total")]
    private partial void LogUnusableValues(string device, string bus, string values);
}
