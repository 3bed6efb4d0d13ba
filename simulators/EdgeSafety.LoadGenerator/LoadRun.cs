using System.Buffers;
using System.Diagnostics;
using EdgeSafety.Contracts;
using EdgeSafety.Mqtt;
using Microsoft.Extensions.Logging;

namespace EdgeSafety.LoadGenerator;

/// <summary>What a run published: per device, how many readings the broker acknowledged (sequence numbers 0 to n-1).</summary>
public sealed record LoadResult(IReadOnlyList<DeviceCount> Devices, long Published, long Acknowledged, long Failed, TimeSpan Elapsed)
{
    public double AcknowledgedPerSecond => Acknowledged / Elapsed.TotalSeconds;
}

/// <summary>A device's readings in a run: sequence numbers from 0 to <see cref="Acknowledged"/> - 1 were acknowledged.</summary>
public sealed record DeviceCount(string Site, string Gateway, string Device, DeviceKind Kind, long Published, long Acknowledged);

/// <summary>
/// Publishes the readings of N virtual gateways x M devices at QoS 1, at a steady rate (devices take turns), through
/// our libmosquitto binding. A device always goes through the same connection, so its readings reach the broker in
/// order. Unacknowledged publishes are bounded per connection by the client's in-flight limit.
/// </summary>
public sealed class LoadRun
{
    private readonly LoadOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly VirtualDevice[] _devices;
    private readonly long[] _acknowledged;
    private long _failed;

    public LoadRun(LoadOptions options, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Gateways);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.DevicesPerGateway);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Connections);
        ArgumentOutOfRangeException.ThrowIfNegative(options.ReadingsPerSecond);
        _options = options;
        _loggers = loggers;
        var devices = new List<VirtualDevice>();
        for (var g = 1; g <= options.Gateways; g++)
        {
            var gateway = $"gw-{g:D4}";
            for (var d = 1; d <= options.DevicesPerGateway; d++)
            {
                var noise = options.NoiseSensorEvery > 0 && d % options.NoiseSensorEvery == 0;
                var id = noise ? $"noise-{d:D3}" : $"meter-{d:D3}";
                var incident = options.IncidentEvery > 0 && (devices.Count + 1) % options.IncidentEvery == 0;
                devices.Add(new VirtualDevice(options.Site, gateway, id, noise ? DeviceKind.Noise : DeviceKind.Meter,
                    noise ? null : $"room-{g:D4}-{d:D3}", options.Partitioned, Seed(options.Seed, g, d))
                {
                    ReadingInterval = options.ReadingInterval,
                    Incident = incident,
                });
            }
        }

        _devices = [.. devices];
        _acknowledged = new long[_devices.Length];
    }

    public IReadOnlyList<VirtualDevice> Devices => _devices;

    /// <summary>A device's seed from the run's: the same in every process (HashCode.Combine is seeded per process).</summary>
    private static int Seed(int run, int gateway, int device) => unchecked((((run * 1_000_003) + gateway) * 10_007) + device);

    /// <summary>
    /// Publishes until the duration has passed, <see cref="LoadOptions.MaxReadings"/> were published or
    /// <paramref name="stop"/> is cancelled, then waits for the outstanding acknowledgements (a publish the broker never
    /// acknowledges, for example because the run was cut short, counts as failed). <paramref name="publishing"/>, if
    /// given, sees every reading (its device, sequence number and timestamp) just before it is handed to the client
    /// (latency probes take their time there).
    /// </summary>
    public async Task<LoadResult> RunAsync(CancellationToken stop, Action<VirtualDevice, long, DateTimeOffset>? publishing = null)
    {
        var clients = new MqttClient[_options.Connections];
        var pending = new Queue<Task>();
        var started = Stopwatch.StartNew();
        long published = 0;
        try
        {
            for (var c = 0; c < clients.Length; c++)
            {
                clients[c] = new MqttClient(new MqttClientOptions
                {
                    Host = _options.Host,
                    Port = _options.Port,
                    ClientId = $"{_options.ClientIdPrefix}-{c}",
                    MaxInflightMessages = _options.MaxInflightPerConnection,
                    TcpNoDelay = _options.TcpNoDelay,
                }, _loggers.CreateLogger<MqttClient>());
                await clients[c].ConnectAsync(stop);
            }

            started.Restart();
            // No more publishes outstanding than the clients have in-flight slots: past them, each publish would wait for a
            // slot asynchronously (a waiter, a linked cancellation and a thread-pool hop per reading, in the generator's
            // own CPU time), where the run can wait once for the oldest.
            var window = _options.Connections * _options.MaxInflightPerConnection;
            var payload = new ArrayBufferWriter<byte>(2048);
            while (!stop.IsCancellationRequested && started.Elapsed < _options.Duration
                   && (_options.MaxReadings == 0 || published < _options.MaxReadings))
            {
                if (_options.ReadingsPerSecond > 0)
                {
                    var due = TimeSpan.FromSeconds(published / _options.ReadingsPerSecond);
                    var ahead = due - started.Elapsed;
                    if (ahead > TimeSpan.FromMilliseconds(2))
                    {
                        await Task.Delay(ahead, stop).ContinueWith(_ => { }, TaskScheduler.Default);
                        continue;
                    }
                }

                var index = (int)(published % _devices.Length);
                var device = _devices[index];
                payload.ResetWrittenCount();
                device.WriteNext(DateTimeOffset.UtcNow, payload);
                publishing?.Invoke(device, device.NextSequence - 1, device.LastTimestamp);
                pending.Enqueue(PublishAsync(clients[index % clients.Length], device, index, payload.WrittenSpan.ToArray()));
                published++;
                while (pending.Count >= window || (pending.Count > 0 && pending.Peek().IsCompleted))
                {
                    await pending.Dequeue();
                }
            }

            while (pending.Count > 0)
            {
                await pending.Dequeue();
            }
        }
        finally
        {
            foreach (var client in clients.Where(c => c is not null))
            {
                await client.DisposeAsync();
            }
        }

        var elapsed = started.Elapsed;
        var counts = _devices.Select((d, i) => new DeviceCount(d.Site, d.Gateway, d.Id, d.Kind, d.NextSequence, _acknowledged[i])).ToList();
        return new LoadResult(counts, published, _acknowledged.Sum(), _failed, elapsed);
    }

    private async Task PublishAsync(MqttClient client, VirtualDevice device, int index, byte[] payload)
    {
        try
        {
            await client.PublishAsync(device.Topic, payload, MqttQos.AtLeastOnce);
            // One device, one connection, acknowledgements in order: the count is the acknowledged prefix.
            Interlocked.Increment(ref _acknowledged[index]);
        }
        catch (Exception ex) when (ex is OperationCanceledException or MqttException)
        {
            Interlocked.Increment(ref _failed);
        }
    }
}
