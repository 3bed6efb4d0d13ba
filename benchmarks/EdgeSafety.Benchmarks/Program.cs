using System.Globalization;
using EdgeSafety.Benchmarks;

// Measured commands (docs/benchmarks.md):
//   dotnet run -c Release --project benchmarks/EdgeSafety.Benchmarks [-- bus-throughput] [--seconds 10]
//   dotnet run -c Release --project benchmarks/EdgeSafety.Benchmarks -- footprint [--seconds 60]
// Each exits with 1 if its goal is missed.
var command = args is [var first, ..] && !first.StartsWith("--", StringComparison.Ordinal) ? first : "bus-throughput";
var options = command == args.FirstOrDefault() ? args[1..] : args;
return command switch
{
    "bus-throughput" => await BusThroughputAsync(Seconds(10)),
    "footprint" => await FootprintAsync(Seconds(60)),
    _ => Unknown(),
};

int Seconds(int byDefault) => options is ["--seconds", var value] ? int.Parse(value, CultureInfo.InvariantCulture) : byDefault;

int Unknown()
{
    Console.Error.WriteLine($"Unknown benchmark '{command}': bus-throughput or footprint.");
    return 2;
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
    var variants = new (string Name, Dictionary<string, string> Environment)[]
    {
        ("as shipped", []),
        ("DOTNET_gcServer=0 (workstation GC)", new() { ["DOTNET_gcServer"] = "0" }),
        ("DOTNET_gcServer=0, DOTNET_gcConcurrent=0", new() { ["DOTNET_gcServer"] = "0", ["DOTNET_gcConcurrent"] = "0" }),
        ("workstation non-concurrent, DOTNET_GCHeapHardLimit=0x2000000 (32 MiB)",
            new() { ["DOTNET_gcServer"] = "0", ["DOTNET_gcConcurrent"] = "0", ["DOTNET_GCHeapHardLimit"] = "0x2000000" }),
        ("workstation non-concurrent, DOTNET_TieredPGO=0", new() { ["DOTNET_gcServer"] = "0", ["DOTNET_gcConcurrent"] = "0", ["DOTNET_TieredPGO"] = "0" }),
    };
    Console.WriteLine($"The agent polling {GatewayFootprint.Devices} simulated SDM120 meters every second at 115200 baud (wire time simulated), " +
        $"publishing to mosquitto; {seconds} s measured after a warm-up, {Environment.ProcessorCount} cores.");
    Console.WriteLine();
    Console.WriteLine("| variant | readings/s | VmRSS MB | VmHWM MB | CPU, share of one core |");
    Console.WriteLine("|---|---:|---:|---:|---:|");
    var results = new List<GatewayFootprint.Result>();
    foreach (var (name, environment) in variants)
    {
        var result = await GatewayFootprint.MeasureAsync(name, environment, TimeSpan.FromSeconds(seconds));
        results.Add(result);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {result.Variant} | {result.ReadingsPerSecond:0.0} | {result.RssMegabytes:0.0} | {result.PeakRssMegabytes:0.0} | {result.CpuShareOfOneCore:P1} |"));
    }

    return results[0].MeetsGoals ? 0 : 1;
}
