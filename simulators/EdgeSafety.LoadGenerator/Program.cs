using System.Globalization;
using EdgeSafety.LoadGenerator;
using Microsoft.Extensions.Logging;

// Publishes readings of virtual gateways at a steady rate (docs/benchmarks.md, docs/scale-out.md):
//   dotnet run -c Release --project simulators/EdgeSafety.LoadGenerator -- --gateways 100 --devices 50 --rate 5000 --seconds 60
// Options: --host, --port, --site, --gateways, --devices, --noise-every, --rate (readings/s, 0 = as fast as acknowledged),
// --seconds, --max-readings, --connections, --inflight, --partitioned, --nodelay (a TCP segment per publish), --seed, --interval (device seconds between a
// device's readings), --incident-every (every n-th device charges an e-bike or hears a loud event all through). Prints what the broker acknowledged.
var options = new LoadOptions();
try
{
    for (var i = 0; i < args.Length; i++)
    {
        string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
        int Int() => int.Parse(Value(), CultureInfo.InvariantCulture);
        options = args[i] switch
        {
            "--host" => options with { Host = Value() },
            "--port" => options with { Port = Int() },
            "--site" => options with { Site = Value() },
            "--gateways" => options with { Gateways = Int() },
            "--devices" => options with { DevicesPerGateway = Int() },
            "--noise-every" => options with { NoiseSensorEvery = Int() },
            "--rate" => options with { ReadingsPerSecond = double.Parse(Value(), CultureInfo.InvariantCulture) },
            "--seconds" => options with { Duration = TimeSpan.FromSeconds(double.Parse(Value(), CultureInfo.InvariantCulture)) },
            "--max-readings" => options with { MaxReadings = long.Parse(Value(), CultureInfo.InvariantCulture) },
            "--connections" => options with { Connections = Int() },
            "--inflight" => options with { MaxInflightPerConnection = Int() },
            "--partitioned" => options with { Partitioned = true },
            "--nodelay" => options with { TcpNoDelay = true },
            "--seed" => options with { Seed = Int() },
            "--interval" => options with { ReadingInterval = TimeSpan.FromSeconds(double.Parse(Value(), CultureInfo.InvariantCulture)) },
            "--incident-every" => options with { IncidentEvery = Int() },
            _ => throw new ArgumentException($"Unknown option {args[i]}."),
        };
    }
}
catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine($"load generator: {ex.Message}");
    return 2;
}

using var loggers = LoggerFactory.Create(builder => builder.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
var run = new LoadRun(options, loggers);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{options.Gateways} gateways x {options.DevicesPerGateway} devices on {options.Host}:{options.Port}, {(options.ReadingsPerSecond > 0 ? $"{options.ReadingsPerSecond} readings/s" : "as fast as acknowledged")}, {options.Duration.TotalSeconds} s"));
var result = await run.RunAsync(stop.Token);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"published {result.Published}, acknowledged {result.Acknowledged} ({result.AcknowledgedPerSecond:0} per second), failed {result.Failed}, in {result.Elapsed.TotalSeconds:0.0} s"));
return result.Failed == 0 ? 0 : 1;
