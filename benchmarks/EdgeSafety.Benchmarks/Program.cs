using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using EdgeSafety.Benchmarks;

// Measured commands (docs/benchmarks.md):
//   dotnet run -c Release --project benchmarks/EdgeSafety.Benchmarks [-- bus-throughput] [--seconds 10]   Modbus RTU bus throughput
//   dotnet run -c Release --project benchmarks/EdgeSafety.Benchmarks -- footprint [--seconds 60]          the agent's memory and CPU
//   dotnet run -c Release --project benchmarks/EdgeSafety.Benchmarks -- ingest [--seconds 10]             ingest against broker and InfluxDB
//   dotnet run -c Release --project benchmarks/EdgeSafety.Benchmarks -- micro [BenchmarkDotNet options]   hot paths, with allocations
//   dotnet run -c Release --project benchmarks/EdgeSafety.Benchmarks -- alerts [--seconds 60] [--per-minute 1000] [--postgres]
//                                                                          alert latency, confirming message to webhook
// The measured commands exit with 1 when a figure misses its goal.
return args switch
{
    ["micro", .. var rest] => RunMicro(rest),
    ["ingest", .. var rest] => await IngestBenchmark.RunAsync(Seconds(rest, 10)),
    ["alerts", .. var rest] => await AlertLatency.RunAsync(rest),
    ["footprint", .. var rest] => await FootprintAsync(Seconds(rest, 60)),
    ["bus-throughput", .. var rest] => await BusThroughputAsync(Seconds(rest, 10)),
    [] or ["--seconds", _] => await BusThroughputAsync(Seconds(args, 10)),
    _ => Unknown(args[0]),
};

static int Seconds(string[] args, int byDefault) => args is ["--seconds", var value] ? int.Parse(value, CultureInfo.InvariantCulture) : byDefault;

static int Unknown(string command)
{
    Console.Error.WriteLine($"Unknown benchmark '{command}': bus-throughput, footprint, ingest, alerts or micro.");
    return 2;
}

// In process: no generated project to build (it would not pass our build rules), and the results land in artifacts/.
static int RunMicro(string[] args)
{
    var config = DefaultConfig.Instance
        .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
        .WithArtifactsPath(Path.Combine("artifacts", "benchmarkdotnet"));
    BenchmarkSwitcher.FromTypes([typeof(HotPaths)]).Run(args.Length == 0 ? ["--filter", "*"] : args, config);
    return 0;
}

static async Task<int> BusThroughputAsync(int seconds)
{
    var results = new List<BusThroughput.Result>();
    Console.WriteLine($"Reading {BusThroughput.Registers} input registers round-robin from units {string.Join(", ", BusThroughput.Units)} " +
        $"of the simulator, wire time simulated, {seconds} s per baud rate, {Environment.ProcessorCount} cores.");
    Console.WriteLine();
    Console.WriteLine("| baud | transactions | per second | wire-time limit per second | share of the limit |");
    Console.WriteLine("|---:|---:|---:|---:|---:|");
    foreach (var baudRate in new[] { 9600, 19200, 115200 })
    {
        var result = await BusThroughput.MeasureAsync(baudRate, TimeSpan.FromSeconds(seconds));
        results.Add(result);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {result.BaudRate} | {result.Transactions} | {result.PerSecond:0.0} | {result.LimitPerSecond:0.0} | {result.ShareOfLimit:P1} |"));
    }

    return results.All(r => r.ShareOfLimit >= BusThroughput.Goal) ? 0 : 1;
}

// The agent as shipped, then runtime knobs that cost nothing to ship (environment variables a systemd unit can set).
static async Task<int> FootprintAsync(int seconds)
{
    var shipped = GatewayFootprint.ShippedEnvironment();
    Dictionary<string, string> With(params (string Name, string Value)[] settings) =>
        new(shipped.Concat(settings.Select(s => KeyValuePair.Create(s.Name, s.Value))).GroupBy(kv => kv.Key).Select(g => g.Last()));
    var variants = new (string Name, Dictionary<string, string> Environment)[]
    {
        ($"as shipped (runtimeconfig, and the systemd unit's {string.Join(", ", shipped.Select(kv => $"{kv.Key}={kv.Value}"))})", shipped),
        ("as before (DOTNET_gcServer=1, DOTNET_gcConcurrent=1, DOTNET_TieredPGO=1, DOTNET_GCgen0size=0; the slim host stays)",
            With(("DOTNET_gcServer", "1"), ("DOTNET_gcConcurrent", "1"), ("DOTNET_TieredPGO", "1"), ("DOTNET_GCgen0size", "0"))),
        ("DOTNET_GCgen0size=0 (the runtime's default gen0 budget)", With(("DOTNET_GCgen0size", "0"))),
        ("DOTNET_gcServer=1 (server GC with DATAS)", With(("DOTNET_gcServer", "1"))),
        ("DOTNET_TieredPGO=1", With(("DOTNET_TieredPGO", "1"))),
        ("DOTNET_GCHeapHardLimit=0x1800000 (24 MiB)", With(("DOTNET_GCHeapHardLimit", "0x1800000"))),
    };
    Console.WriteLine($"The agent polling {GatewayFootprint.Devices} simulated SDM120 meters every second at 115200 baud (wire time simulated), " +
        $"publishing to mosquitto; {seconds} s measured after a warm-up, {Environment.ProcessorCount} cores.");
    Console.WriteLine();
    Console.WriteLine("| variant | readings/s | VmRSS MB | VmHWM MB | of which private (RssAnon + RssShmem) MB | mapped files (RssFile) MB | CPU, share of one core |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
    var results = new List<GatewayFootprint.Result>();
    foreach (var (name, environment) in variants)
    {
        var result = await GatewayFootprint.MeasureAsync(name, environment, TimeSpan.FromSeconds(seconds));
        results.Add(result);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {result.Variant} | {result.ReadingsPerSecond:0.0} | {result.RssMegabytes:0.0} | {result.PeakRssMegabytes:0.0} | {result.PrivateMegabytes:0.0} | {result.FileMegabytes:0.0} | {result.CpuShareOfOneCore:P1} |"));
    }

    Console.WriteLine();
    Console.WriteLine("Where the resident memory of the agent as shipped goes (/proc/PID/smaps, Rss by mapping):");
    Console.WriteLine();
    Console.WriteLine("| held by | MB |");
    Console.WriteLine("|---|---:|");
    foreach (var (holder, megabytes) in results[0].Breakdown.OrderByDescending(kv => kv.Value))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {holder} | {megabytes:0.0} |"));
    }

    return results[0].MeetsGoals ? 0 : 1;
}
