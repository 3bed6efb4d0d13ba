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
        var ratio = one.ReadingsPerSecond / Math.Min(broker, influx);
        Console.WriteLine();
        Console.WriteLine("| what | readings per second |");
        Console.WriteLine("|---|---:|");
        Print($"| broker alone (publish -> subscribe, QoS 1) | {broker:0} |");
        Print($"| InfluxDB alone (batches of 5,000, one connection) | {influx:0} |");
        Print($"| ingest, one instance (publish -> InfluxDB) | {one.ReadingsPerSecond:0} |");
        Print($"| ingest, two instances sharing the partitions | {two.ReadingsPerSecond:0} |");
        Console.WriteLine();
        Print($"ratio = ingest / min(broker, InfluxDB) = {ratio:0.00} (goal >= {IngestThroughput.Goal:0.0})");
        Print($"households at one reading per 5 s on this node: {one.ReadingsPerSecond / ReadingsPerHousehold:0} (noise sensors included as households)");
        Print($"scaling factor of two instances: {two.ReadingsPerSecond / one.ReadingsPerSecond:0.00}");
        var perCore = 1e6 / one.CpuMicrosecondsPerReading;
        Print($"ingest's CPU time per reading (all its threads): {one.CpuMicrosecondsPerReading:0} µs with one instance, {two.CpuMicrosecondsPerReading:0} µs with two; one core of ingest alone: {perCore:0} readings/s = {perCore / ReadingsPerHousehold:0} households");
        Console.WriteLine();
        Console.WriteLine("| load | rate (readings/s) | samples | p50 publish -> InfluxDB | p99 |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var share in new[] { 0.5, 0.9 })
        {
            var latency = await bench.LatencyAsync(share * one.ReadingsPerSecond);
            Print($"| {share:P0} of ingest's maximum | {latency.ReadingsPerSecond:0} | {latency.Samples} | {latency.P50Milliseconds:0} ms | {latency.P99Milliseconds:0} ms |");
        }

        return ratio >= IngestThroughput.Goal ? 0 : 1;
    }

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
