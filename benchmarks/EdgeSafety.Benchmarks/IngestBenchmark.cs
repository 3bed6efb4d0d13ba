using System.Globalization;

namespace EdgeSafety.Benchmarks;

/// <summary>Runs the ingest measurements in order and prints them as the tables in docs/benchmarks.md.</summary>
internal static class IngestBenchmark
{
    /// <summary>Households at one reading per 5 s.</summary>
    private const double ReadingsPerHousehold = 1.0 / 5;

    public static async Task<int> RunAsync(int seconds)
    {
        Console.WriteLine($"Ingest benchmark: 400 devices (20 gateways x 20; 9 in 10 harmonic meters with 39 values, 1 in 10 noise sensors), " +
            $"{seconds} s per phase after a warm-up, {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at start.");
        await using var bench = await IngestThroughput.StartAsync(TimeSpan.FromSeconds(seconds));
        var broker = await bench.BrokerAloneAsync();
        var influx = await bench.InfluxAloneAsync();
        var one = await bench.IngestAsync(instances: 1);
        var two = await bench.IngestAsync(instances: 2);
        var ratio = one.ReadingsPerSecond / Math.Min(broker.ReadingsPerSecond, influx.ReadingsPerSecond);
        Console.WriteLine();
        Console.WriteLine("| what | readings per second |");
        Console.WriteLine("|---|---:|");
        Print($"| broker alone (publish -> subscribe, QoS 1) | {broker.ReadingsPerSecond:0} |");
        Print($"| InfluxDB alone (batches of 5,000, one connection) | {influx.ReadingsPerSecond:0} |");
        Print($"| ingest, one instance (publish -> InfluxDB) | {one.ReadingsPerSecond:0} |");
        Print($"| ingest, two instances sharing the partitions | {two.ReadingsPerSecond:0} |");
        Console.WriteLine();
        Print($"ratio = ingest / min(broker, InfluxDB) = {ratio:0.00} (goal >= {IngestThroughput.Goal:0.0})");
        Print($"households at one reading per 5 s on this node: {one.ReadingsPerSecond / ReadingsPerHousehold:0} (noise sensors included as households)");
        Print($"scaling factor of two instances: {two.ReadingsPerSecond / one.ReadingsPerSecond:0.00}");
        var perCore = 1e6 / one.CpuMicrosecondsPerReading;
        Print($"ingest's CPU time per reading (all its threads): {one.CpuMicrosecondsPerReading:0} µs with one instance, {two.CpuMicrosecondsPerReading:0} µs with two; one core of ingest alone: {perCore:0} readings/s = {perCore / ReadingsPerHousehold:0} households");
        PrintCpu(broker, influx, one, two);
        Console.WriteLine();
        Console.WriteLine("| load | rate (readings/s) | samples | p50 publish -> InfluxDB | p99 |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var share in new[] { 0.5, 0.9 })
        {
            var latency = await bench.LatencyAsync(share * one.ReadingsPerSecond);
            Print($"| {share:P0} of ingest's maximum | {latency.ReadingsPerSecond:0} | {latency.Samples} | {latency.P50Milliseconds:0} ms | {latency.P99Milliseconds:0} ms |");
        }

        await PrintAlertsAsync(bench, one.ReadingsPerSecond, two.ReadingsPerSecond);
        return ratio >= IngestThroughput.Goal ? 0 : 1;
    }

    /// <summary>Publish-to-alert latency with one instance at 50 % and 90 % of its maximum, and two instances at 90 % of theirs.</summary>
    private static async Task PrintAlertsAsync(IngestThroughput bench, double oneMaximum, double twoMaximum)
    {
        Console.WriteLine();
        Console.WriteLine("With incidents (one device in seven charging an e-bike or loud; 5 s of device time between readings), one shared alert store:");
        Console.WriteLine();
        Console.WriteLine("| load | rate (readings/s) | e-bike alerts timed | p50 publish -> alert | p99 | alerts | duplicate alerts | readings lost |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (instances, share, maximum) in new[] { (1, 0.5, oneMaximum), (1, 0.9, oneMaximum), (2, 0.9, twoMaximum) })
        {
            var run = await bench.AlertsAsync(share * maximum, instances);
            Print($"| {share:P0} of {(instances == 1 ? "one instance's" : "two instances'")} maximum | {run.ReadingsPerSecond:0} | {run.Samples} | {run.P50Milliseconds:0} ms | {run.P99Milliseconds:0} ms | {run.Alerts} | {run.DuplicateAlerts} | {run.Lost} of {run.Acknowledged} |");
        }
    }


    /// <summary>
    /// Where each phase's CPU went, per reading (or point), and what the ratio's goal leaves for the chain: at 0.8 x
    /// min(broker, InfluxDB) readings/s, the machine's cores give each reading at most cores / rate of CPU time.
    /// </summary>
    private static void PrintCpu(IngestThroughput.PhaseRate broker, IngestThroughput.PhaseRate influx, IngestThroughput.IngestRate one, IngestThroughput.IngestRate two)
    {
        Console.WriteLine();
        Console.WriteLine("CPU time per reading (µs; /proc/PID/stat over each measured phase; the generator is the benchmark's own process):");
        Console.WriteLine();
        Console.WriteLine("| phase | readings/s | generator | mosquitto | ingest | influxd | chain | whole machine (busy cores) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (phase, cpu) in new[] { ("broker alone", broker.Cpu), ("InfluxDB alone (per point)", influx.Cpu), ("ingest, one instance", one.Cpu), ("ingest, two instances", two.Cpu) })
        {
            Print($"| {phase} | {cpu.ReadingsPerSecond:0} | {Cell(cpu, IngestThroughput.Generator)} | {Cell(cpu, IngestThroughput.Mosquitto)} | {Cell(cpu, IngestThroughput.Ingest)} | {Cell(cpu, IngestThroughput.Influxd)} | {cpu.ChainMicrosecondsPerReading:0.0} | {cpu.MachineMicrosecondsPerReading:0.0} ({cpu.MachineBusyCores:0.00} of {cpu.Cores}) |");
        }

        Console.WriteLine();
        Print($"Warm-up rounds of 4 s until ingest's JIT thread was quiet: {one.WarmUpRounds} with one instance, {two.WarmUpRounds} with two.");
        Console.WriteLine();
        Console.WriteLine("| ingest thread (one instance) | µs per reading |");
        Console.WriteLine("|---|---:|");
        foreach (var thread in one.Cpu.Threads)
        {
            Print($"| {thread.Name} | {thread.MicrosecondsPerReading:0.0} |");
        }

        Print($"| threads that ended during the phase | {one.CpuMicrosecondsPerReading - one.Cpu.Threads.Sum(t => t.MicrosecondsPerReading):0.0} |");
        var goalRate = IngestThroughput.Goal * Math.Min(broker.ReadingsPerSecond, influx.ReadingsPerSecond);
        var budget = one.Cpu.Cores * 1e6 / goalRate;
        var over = one.Cpu.ChainMicrosecondsPerReading - budget;
        Console.WriteLine();
        var verdict = over <= 0 ? "(within it)" : string.Create(CultureInfo.InvariantCulture,
            $"({over:0.0} µs over; ingest's own {one.CpuMicrosecondsPerReading:0.0} µs are {one.CpuMicrosecondsPerReading / over:P0} of the excess, the generator, mosquitto and influxd alone use {(one.Cpu.ChainMicrosecondsPerReading - one.CpuMicrosecondsPerReading) / budget:P0} of the budget)");
        Print($"goal rate {goalRate:0} readings/s: {one.Cpu.Cores} cores give at most {budget:0.0} µs of CPU per reading; the chain used {one.Cpu.ChainMicrosecondsPerReading:0.0} µs {verdict}");
    }

    private static string Cell(ChainCpuUsage cpu, string process) =>
        cpu.Processes.Any(p => p.Name == process) ? cpu.Of(process).ToString("0.0", CultureInfo.InvariantCulture) : "";

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
