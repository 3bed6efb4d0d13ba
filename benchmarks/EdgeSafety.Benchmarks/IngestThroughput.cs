using System.Diagnostics;
using System.Text;
using EdgeSafety.Contracts;
using EdgeSafety.Influx;
using EdgeSafety.Ingest;
using EdgeSafety.LoadGenerator;
using EdgeSafety.Mqtt;
using EdgeSafety.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeSafety.Benchmarks;

/// <summary>
/// Ingest against its two limits, measured in one run on one machine (docs/benchmarks.md): the broker alone (the load
/// generator publishing at QoS 1 as fast as it is acknowledged, one subscriber at QoS 1), InfluxDB alone (the same
/// readings as line protocol in batches of 5,000 on one connection, as ingest's writer sends them), and the whole of
/// ingest (MQTT, validation, spill, analysers, InfluxDB) as its own process; then publish-to-InfluxDB latency at 50 % and
/// 90 % of ingest's maximum, and two instances sharing the partitions.
/// </summary>
internal sealed partial class IngestThroughput : IAsyncDisposable
{
    public const double Goal = 0.8;
    private const int BatchSize = 5_000;
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>The chain's processes as the CPU figures name them; the load generator runs in the benchmark's own process.</summary>
    public const string Generator = "generator", Mosquitto = "mosquitto", Ingest = "ingest", Influxd = "influxd";

    /// <summary>
    /// Load before each measurement, not counted: a node runs for months, so what counts is its throughput once the JIT
    /// has compiled the hot path fully. Measured cold, a 10 s run spent about a third of ingest's CPU in the JIT and
    /// ran the rest as unoptimised tier-0 code (perf, docs/benchmarks.md).
    /// </summary>
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(4);

    /// <summary>
    /// Warm-up rounds go on until ingest's tiered compilation thread used less than this share of its CPU in a round
    /// (at most <see cref="MaxWarmUpRounds"/>): on a loaded machine one round was not enough, and the JIT thread still took
    /// about a third of ingest's CPU in the measured phase (docs/benchmarks.md).
    /// </summary>
    private const double QuietJitShare = 0.05;

    private const int MaxWarmUpRounds = 6;

    /// <summary>The kernel's name (comm, 15 bytes) of the runtime's tiered compilation thread.</summary>
    private const string JitThread = ".NET Tiered Com";

    private readonly HttpClient _http = new();
    private readonly TimeSpan _duration;
    private readonly MosquittoBroker _broker;
    private readonly InfluxServer _influxServer;
    private int _runs;

    private IngestThroughput(TimeSpan duration, MosquittoBroker broker, InfluxServer influxServer)
    {
        _duration = duration;
        _broker = broker;
        _influxServer = influxServer;
    }

    public static async Task<IngestThroughput> StartAsync(TimeSpan duration) =>
        new(duration, await MosquittoBroker.StartAsync(), await InfluxServer.StartAsync());

    /// <summary>
    /// Readings per second the subscriber receives while the generator publishes as fast as the broker acknowledges,
    /// and the CPU the benchmark process (generator and subscriber) and mosquitto used per reading.
    /// </summary>
    public async Task<PhaseRate> BrokerAloneAsync()
    {
        var load = Load(partitioned: false);
        await using var subscriber = new MqttClient(new MqttClientOptions { Port = _broker.Port, ClientId = "bench-subscriber" },
            NullLogger<MqttClient>.Instance);
        long received = 0;
        long first = 0;
        long last = 0;
        subscriber.MessageReceived = _ =>
        {
            var now = Stopwatch.GetTimestamp();
            if (Interlocked.Increment(ref received) == 1)
            {
                first = now;
            }

            last = now;
        };
        await subscriber.ConnectAsync(CancellationToken.None);
        await subscriber.SubscribeAsync(Topics.AllReadings, MqttQos.AtLeastOnce);
        var warmUp = await new LoadRun(Load(partitioned: false) with { Duration = WarmUp }, NullLoggerFactory.Instance).RunAsync(CancellationToken.None);
        var deadline = Stopwatch.StartNew();
        while (Interlocked.Read(ref received) < warmUp.Acknowledged && deadline.Elapsed < Bound)
        {
            await Task.Delay(50);
        }

        Interlocked.Exchange(ref received, 0);
        var cpu = ChainCpu.Start([(Generator, Environment.ProcessId), (Mosquitto, _broker.ProcessId)]);
        var measured = Stopwatch.StartNew();
        var result = await new LoadRun(load, NullLoggerFactory.Instance).RunAsync(CancellationToken.None);
        deadline.Restart();
        while (Interlocked.Read(ref received) < result.Acknowledged && deadline.Elapsed < Bound)
        {
            await Task.Delay(50);
        }

        var usage = cpu.Stop(Interlocked.Read(ref received), measured.Elapsed);
        return new PhaseRate((Interlocked.Read(ref received) - 1) / Stopwatch.GetElapsedTime(first, last).TotalSeconds, usage);
    }

    /// <summary>
    /// Points per second InfluxDB stores from batches of 5,000 of the generator's readings, one batch at a time, and the
    /// CPU the benchmark process (the HTTP client) and influxd used per point.
    /// </summary>
    public async Task<PhaseRate> InfluxAloneAsync()
    {
        var devices = new LoadRun(Load(partitioned: false), NullLoggerFactory.Instance).Devices;
        var batches = new List<byte[]>();
        var lines = new StringBuilder();
        var clock = DateTimeOffset.UtcNow.AddHours(-1);
        for (var i = 0; batches.Count < 40; i++)
        {
            var device = devices[i % devices.Count];
            var reading = device.Next(clock.AddMilliseconds(i));
            LineProtocol.Append(lines, ReadingReceiver.ToPoint(new ReceivedReading(new ReadingSource(device.Site, device.Gateway, device.Id), reading)));
            if ((i + 1) % BatchSize == 0)
            {
                batches.Add(Encoding.UTF8.GetBytes(lines.ToString()));
                lines.Clear();
            }
        }

        var influx = new InfluxClient(_http, new InfluxOptions { BaseAddress = _influxServer.BaseAddress, Database = "influx_alone" });
        await influx.EnsureDatabaseAsync();
        for (var i = 0; i < 4; i++)
        {
            await influx.WriteLinesAsync(batches[i], BatchSize);
        }

        long points = 0;
        await InfluxdQuietAsync();
        var cpu = ChainCpu.Start([(Generator, Environment.ProcessId), (Influxd, _influxServer.ProcessId)]);
        var elapsed = Stopwatch.StartNew();
        for (var i = 0; elapsed.Elapsed < _duration || i < 2; i++)
        {
            await influx.WriteLinesAsync(batches[i % batches.Count], BatchSize);
            points += BatchSize;
        }

        return new PhaseRate(points / elapsed.Elapsed.TotalSeconds, cpu.Stop(points, elapsed.Elapsed));
    }

    /// <summary>
    /// Readings per second from the first publish until the last acknowledged reading is in InfluxDB (ingest's own
    /// count of points written), with the given number of instances sharing the partitions; and the CPU time the
    /// instances used meanwhile per reading, which depends far less than the rate on what else the machine runs.
    /// </summary>
    public async Task<IngestRate> IngestAsync(int instances)
    {
        var ingests = await StartIngestsAsync(instances);
        try
        {
            var warmUpRounds = await WarmUpAsync(ingests);
            var before = await WrittenAsync(ingests);
            await InfluxdQuietAsync();
            var cpu = StartChainCpu(ingests);
            var started = Stopwatch.StartNew();
            var result = await new LoadRun(Load(partitioned: true), NullLoggerFactory.Instance).RunAsync(CancellationToken.None);
            while (await WrittenAsync(ingests) - before < result.Acknowledged)
            {
                ThrowIfTooLong(started, ingests);
                await Task.Delay(20);
            }

            return new IngestRate(result.Acknowledged / started.Elapsed.TotalSeconds, cpu.Stop(result.Acknowledged, started.Elapsed), warmUpRounds);
        }
        finally
        {
            ingests.ForEach(i => i.Process.Dispose());
        }
    }

    /// <summary>
    /// Publish-to-InfluxDB latency at a steady rate: the first five meters of the run are watched (their highest stored
    /// sequence numbers, polled every 10 ms in one query), and each of their readings counts from just before its publish
    /// to the poll that first finds it stored.
    /// </summary>
    public async Task<Latency> LatencyAsync(double readingsPerSecond)
    {
        var ingests = await StartIngestsAsync(1);
        try
        {
            await WarmUpAsync(ingests);
            var options = Load(partitioned: true) with { ReadingsPerSecond = readingsPerSecond };
            var run = new LoadRun(options, NullLoggerFactory.Instance);
            var watched = run.Devices.Take(5).ToDictionary(d => d.Id);
            var published = watched.Keys.ToDictionary(id => id, _ => new Dictionary<long, long>());
            var influx = new InfluxClient(_http, new InfluxOptions { BaseAddress = _influxServer.BaseAddress, Database = "edgesafety" });
            var query = $"SELECT last(seq) FROM meter WHERE site = {InfluxQL.Literal(options.Site)} AND gateway = {InfluxQL.Literal(run.Devices[0].Gateway)} " +
                        $"AND ({string.Join(" OR ", watched.Keys.Select(id => $"device = {InfluxQL.Literal(id)}"))}) GROUP BY device";
            var latencies = new List<double>();
            var seen = watched.Keys.ToDictionary(id => id, _ => -1L);
            using var stop = new CancellationTokenSource();
            var polling = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var series = await influx.QueryAsync(query);
                    var now = Stopwatch.GetTimestamp();
                    lock (published)
                    {
                        foreach (var one in series)
                        {
                            var device = one.Tags["device"];
                            var stored = one.Values[0][1].GetInt64();
                            for (var seq = seen[device] + 1; seq <= stored; seq++)
                            {
                                latencies.Add(Stopwatch.GetElapsedTime(published[device][seq], now).TotalMilliseconds);
                            }

                            seen[device] = Math.Max(seen[device], stored);
                        }
                    }

                    await Task.Delay(ProbeInterval);
                }
            });
            var result = await run.RunAsync(CancellationToken.None, (device, sequence, _) =>
            {
                if (watched.ContainsKey(device.Id) && device.Gateway == run.Devices[0].Gateway)
                {
                    lock (published)
                    {
                        published[device.Id][sequence] = Stopwatch.GetTimestamp();
                    }
                }
            });
            var waiting = Stopwatch.StartNew();
            while (true)
            {
                lock (published)
                {
                    if (latencies.Count >= published.Values.Sum(p => p.Count))
                    {
                        break;
                    }
                }

                ThrowIfTooLong(waiting, ingests);
                await Task.Delay(20);
            }

            await stop.CancelAsync();
            await polling;
            latencies.Sort();
            return new Latency(result.AcknowledgedPerSecond, latencies.Count, Percentile(latencies, 0.50), Percentile(latencies, 0.99));
        }
        finally
        {
            ingests.ForEach(i => i.Process.Dispose());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _broker.DisposeAsync();
        await _influxServer.DisposeAsync();
        _http.Dispose();
    }

    private static double Percentile(List<double> sorted, double share) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(share * sorted.Count) - 1)];

    private static void ThrowIfTooLong(Stopwatch clock, List<(ExternalProcess Process, int Port)> ingests)
    {
        ingests.ForEach(i => i.Process.ThrowIfExited());
        if (clock.Elapsed > Bound)
        {
            throw new TimeoutException("Ingest did not store every acknowledged reading in time.");
        }
    }

    /// <summary>400 devices (20 gateways x 20: harmonic meters, one in ten a noise sensor), a fresh site per run.</summary>
    private LoadOptions Load(bool partitioned) => new()
    {
        Port = _broker.Port,
        Site = $"bench-{++_runs}",
        Gateways = 20,
        DevicesPerGateway = 20,
        ReadingsPerSecond = 0,
        Duration = _duration,
        Partitioned = partitioned,
        ClientIdPrefix = $"bench-load-{_runs}",
    };

    private async Task<List<(ExternalProcess Process, int Port)>> StartIngestsAsync(int instances, params string[] settings)
    {
        var ingests = new List<(ExternalProcess, int)>();
        for (var i = 0; i < instances; i++)
        {
            var port = LoopbackPort.Next();
            var share = Topics.PartitionCount / instances;
            var partitions = instances == 1 ? "all" : $"{i * share}-{((i + 1) * share) - 1}";
            ingests.Add((ServiceProcess.Start("EdgeSafety.Ingest", port, [$"--Mqtt:Port={_broker.Port}",
                $"--Influx:BaseAddress={_influxServer.BaseAddress}", $"--Mqtt:ClientId=bench-ingest-{_runs}-{i}", "--Mqtt:CleanSession=true",
                $"--Ingest:Partitions={partitions}", $"--Ingest:Unpartitioned={instances == 1}", .. settings]), port));
        }

        foreach (var (process, port) in ingests)
        {
            await ServiceProcess.WaitUntilHealthyAsync(process, port, Bound);
            await process.WaitForOutputAsync("Subscribed to", Bound);
        }

        return ingests;
    }

    /// <summary>The whole chain's processes; with one instance, ingest's threads by name too.</summary>
    private ChainCpu StartChainCpu(List<(ExternalProcess Process, int Port)> ingests) =>
        ChainCpu.Start([(Generator, Environment.ProcessId), (Mosquitto, _broker.ProcessId), .. ingests.Select(i => (Ingest, i.Process.Id)), (Influxd, _influxServer.ProcessId)],
            ingests.Count == 1 ? ingests[0].Process.Id : null);

    /// <summary>
    /// Rounds of <see cref="WarmUp"/> of full load through the instances, each waited for until written, until the first
    /// instance's JIT thread is quiet (<see cref="QuietJitShare"/>); returns the rounds it took.
    /// </summary>
    private async Task<int> WarmUpAsync(List<(ExternalProcess Process, int Port)> ingests)
    {
        for (var round = 1; ; round++)
        {
            var cpu = ChainCpu.Start([(Ingest, ingests[0].Process.Id)], ingests[0].Process.Id);
            var readings = await WarmUpRoundAsync(ingests);
            var usage = cpu.Stop(readings, WarmUp);
            var jit = usage.Threads.Where(t => t.Name == JitThread).Sum(t => t.MicrosecondsPerReading);
            if (jit < QuietJitShare * usage.Of(Ingest) || round == MaxWarmUpRounds)
            {
                return round;
            }
        }
    }

    private async Task<long> WarmUpRoundAsync(List<(ExternalProcess Process, int Port)> ingests)
    {
        var before = await WrittenAsync(ingests);
        var started = Stopwatch.StartNew();
        var result = await new LoadRun(Load(partitioned: true) with { Duration = WarmUp }, NullLoggerFactory.Instance).RunAsync(CancellationToken.None);
        while (await WrittenAsync(ingests) - before < result.Acknowledged)
        {
            ThrowIfTooLong(started, ingests);
            await Task.Delay(20);
        }

        return result.Acknowledged;
    }

    private async Task<double> WrittenAsync(List<(ExternalProcess Process, int Port)> ingests)
    {
        double written = 0;
        foreach (var (_, port) in ingests)
        {
            written += await PrometheusText.ReadAsync(_http, new Uri($"http://127.0.0.1:{port}/metrics"), "ingest_points_written_total");
        }

        return written;
    }

    /// <summary>Before a measured phase: influxd done with what earlier phases and the warm-up wrote.</summary>
    private async Task InfluxdQuietAsync()
    {
        var waited = await ChainCpu.WaitUntilQuietAsync(_influxServer.ProcessId, TimeSpan.FromSeconds(60));
        Console.Error.WriteLine($"influxd quiet after {waited.TotalSeconds:0.0} s");
    }

    /// <summary>A phase's rate and where its CPU went.</summary>
    public sealed record PhaseRate(double ReadingsPerSecond, ChainCpuUsage Cpu);

    /// <summary>
    /// Ingest's rate, the chain's CPU (<see cref="CpuMicrosecondsPerReading"/> is ingest's own: all instances, all threads)
    /// and the warm-up rounds it took until ingest's JIT was quiet.
    /// </summary>
    public sealed record IngestRate(double ReadingsPerSecond, ChainCpuUsage Cpu, int WarmUpRounds)
    {
        public double CpuMicrosecondsPerReading => Cpu.Of(Ingest);
    }

    public sealed record Latency(double ReadingsPerSecond, int Samples, double P50Milliseconds, double P99Milliseconds);
}
