using System.Globalization;
using EdgeSafety.Benchmarks;

// Alert latency, from a confirming message to the webhook (docs/benchmarks.md):
//   dotnet run -c Release --project benchmarks/EdgeSafety.Benchmarks -- alerts [--seconds 60] [--per-minute 1000] [--postgres]
if (args is ["alerts", ..])
{
    return await AlertLatency.RunAsync(args[1..]);
}

// Modbus RTU bus throughput against the wire-time limit (docs/benchmarks.md):
//   dotnet run -c Release --project benchmarks/EdgeSafety.Benchmarks [-- --seconds 10]
// Exits with 1 if a bus reaches less than the goal's share of its limit.
var seconds = args is ["--seconds", var value] ? int.Parse(value, CultureInfo.InvariantCulture) : 10;
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
