using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using EdgeSafety.Benchmarks;

// Measured commands (docs/benchmarks.md):
//   dotnet run -c Release --project benchmarks/EdgeSafety.Benchmarks [-- --seconds 10]          Modbus RTU bus throughput
//   dotnet run -c Release --project benchmarks/EdgeSafety.Benchmarks -- ingest [--seconds 10]   ingest against broker and InfluxDB
//   dotnet run -c Release --project benchmarks/EdgeSafety.Benchmarks -- micro [BenchmarkDotNet options]
// The first two exit with 1 when a figure misses its goal.
return args switch
{
    ["micro", .. var rest] => RunMicro(rest),
    ["ingest", .. var rest] => await IngestBenchmark.RunAsync(Seconds(rest)),
    _ => await RunBusesAsync(Seconds(args)),
};

static int Seconds(string[] args) => args is ["--seconds", var value] ? int.Parse(value, CultureInfo.InvariantCulture) : 10;

// In process: no generated project to build (it would not pass our build rules), and the results land in artifacts/.
static int RunMicro(string[] args)
{
    var config = DefaultConfig.Instance
        .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
        .WithArtifactsPath(Path.Combine("artifacts", "benchmarkdotnet"));
    BenchmarkSwitcher.FromTypes([typeof(HotPaths)]).Run(args.Length == 0 ? ["--filter", "*"] : args, config);
    return 0;
}

static async Task<int> RunBusesAsync(int seconds)
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
