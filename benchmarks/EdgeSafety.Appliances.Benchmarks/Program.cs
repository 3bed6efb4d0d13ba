using System.Diagnostics;
using System.Globalization;
using EdgeSafety.Appliances;

// Household-days generated per second (docs/benchmarks.md):
//   dotnet run -c Release --project benchmarks/EdgeSafety.Appliances.Benchmarks [-- --days 40]
var days = args is ["--days", var value] ? int.Parse(value, CultureInfo.InvariantCulture) : 40;
var midnight = new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.FromHours(8));

// Every sample is consumed (its power summed) so none of the work can be skipped.
double Generate(int seed, TimeSpan interval)
{
    var day = HouseholdScenario.Generate(seed, seed % 2 == 0 ? ParameterSet.Training : ParameterSet.HeldOut, midnight, TimeSpan.FromDays(1), interval);
    var energy = 0.0;
    foreach (var sample in day.Samples)
    {
        energy += sample.PowerW;
    }

    return energy;
}

// Warm up (the JIT's optimised code), then measure.
Generate(-1, TimeSpan.FromSeconds(1));
Console.WriteLine($"{days} household-days (half Training, half HeldOut), {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}.");
Console.WriteLine();
Console.WriteLine("| sampling | threads | household-days | wall time per day | CPU time per day | samples per CPU second |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
foreach (var (interval, threads) in new[] { (1, 1), (1, Environment.ProcessorCount), (60, 1) })
{
    var process = Process.GetCurrentProcess();
    var cpuBefore = process.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    Parallel.For(0, days, new ParallelOptions { MaxDegreeOfParallelism = threads }, seed => Generate(seed, TimeSpan.FromSeconds(interval)));
    clock.Stop();
    process.Refresh();
    var cpu = process.TotalProcessorTime - cpuBefore;
    var samples = days * 86_400.0 / interval;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {interval} s | {threads} | {days} | {clock.Elapsed.TotalMilliseconds / days:0} ms | {cpu.TotalMilliseconds / days:0} ms | {samples / cpu.TotalSeconds:N0} |"));
}
