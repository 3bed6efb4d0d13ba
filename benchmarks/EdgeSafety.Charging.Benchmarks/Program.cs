using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using EdgeSafety.Charging.Benchmarks;

// BenchmarkDotNet's figures are wall time, which a machine shared with other jobs inflates by however long the
// benchmark waits for a core. --cpu-time runs the same benchmark methods and divides by the CPU time the process
// used instead: fingerprints per CPU second, i.e. per core, whatever else the machine is doing.
//   dotnet run -c Release --project benchmarks/EdgeSafety.Charging.Benchmarks -- --cpu-time
if (args is ["--cpu-time"])
{
    var benchmarks = new ChargingBenchmarks();
    benchmarks.Setup();
    Console.WriteLine($"{Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}; one thread, XGBoost nthread=1.");
    Console.WriteLine();
    Console.WriteLine("| benchmark | operations | wall time | CPU time | per CPU second |");
    Console.WriteLine("|---|---:|---:|---:|---:|");
    Measure("ComputeFingerprint", 2_000_000, 1, benchmarks.ComputeFingerprint);
    Measure("ClassifyOne (compute + one-row prediction)", 100_000, 1, () => benchmarks.ClassifyOne());
    Measure("ClassifyBatch (compute + prediction, batches of 1,000)", 1_000, ChargingBenchmarks.Batch, () => benchmarks.ClassifyBatch());
    benchmarks.Cleanup();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(ChargingBenchmarks).Assembly).Run(args);

static void Measure(string name, int calls, int operationsPerCall, Action call)
{
    for (var i = 0; i < Math.Max(10, calls / 100); i++)
    {
        call();
    }

    var process = Process.GetCurrentProcess();
    var cpuBefore = process.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < calls; i++)
    {
        call();
    }

    clock.Stop();
    process.Refresh();
    var cpu = process.TotalProcessorTime - cpuBefore;
    var operations = (double)calls * operationsPerCall;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {operations:N0} | {clock.Elapsed.TotalSeconds:0.00} s | {cpu.TotalSeconds:0.00} s | {operations / cpu.TotalSeconds:N0} |"));
}
