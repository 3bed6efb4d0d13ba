using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeSafety.Contracts;
using EdgeSafety.Mqtt;
using EdgeSafety.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeSafety.Benchmarks;

/// <summary>
/// From a confirming message's publication to ingest until the webhook of the alert it raises reaches a receiver,
/// at a steady rate of new alerts: the real ingest process (its shipped settings, SQLite or PostgreSQL store, the
/// notification sender's webhook channel), a real mosquitto and influxd, and a Kestrel receiver on loopback. Each
/// message is a different gateway going offline, so each is a new alert and a new delivery to the area's warden.
/// </summary>
internal static class AlertLatency
{
    /// <summary>The issue's target: p99 within one second at 1,000 alerts a minute.</summary>
    public static readonly TimeSpan Goal = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    public sealed record Result(string Store, int Alerts, double PerMinute, double P50, double P95, double P99, double Max);

    public static async Task<Result> MeasureAsync(int perMinute, TimeSpan duration, bool postgres)
    {
        var count = (int)(perMinute * duration.TotalMinutes);
        using var data = new TemporaryDirectory("alert-benchmark");
        await using var broker = await MosquittoBroker.StartAsync();
        await using var influx = await InfluxServer.StartAsync();
        await using var receiver = await HttpReceiver.StartAsync();
        await using var database = postgres ? await PostgresServer.StartAsync() : null;
        var received = new ConcurrentDictionary<string, long>();
        receiver.Respond = request =>
        {
            var gateway = (string?)JsonNode.Parse(request.Body)?["evidence"]?["gateway"];
            if (gateway is not null)
            {
                received.TryAdd(gateway, Stopwatch.GetTimestamp());
            }

            return new HttpReply(200, "{}");
        };

        var gateways = Enumerable.Range(0, count).Select(i => $"gw-{i:0000}").ToList();
        await File.WriteAllTextAsync(data.Combine("registry.json"), JsonSerializer.Serialize(new
        {
            sites = new[] { new { id = "bench", name = "Benchmark" } },
            buildings = new[] { new { id = "block-1", site = "bench", name = "Block 1", area = "a" } },
            people = new[]
            {
                new
                {
                    id = "warden", name = "Warden", role = "Warden", area = "a",
                    preferences = new { targets = new[] { new { channel = "Webhook", address = receiver.Url("hooks/warden").ToString() } } },
                },
            },
            gateways = gateways.Select(g => new { site = "bench", gateway = g, building = "block-1" }),
        }));
        string[] store = database is null
            ? [$"--Alerts:Store:SqlitePath={data.Combine("alerts.db")}"]
            : ["--Alerts:Store:Provider=PostgreSql", $"--Alerts:Store:PostgreSqlConnectionString={await database.CreateDatabaseAsync()}"];
        var port = LoopbackPort.Next();
        using var ingest = ServiceProcess.Start("EdgeSafety.Ingest", port, [
            $"--Mqtt:Port={broker.Port}", $"--Influx:BaseAddress={influx.BaseAddress}", $"--Alerts:RegistryPath={data.Combine("registry.json")}",
            "--Notifications:Webhook:Secret=benchmark", "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:EdgeSafety.Ingest.Alerts.GatewayStatusReceiver=Information", .. store]);
        await ingest.WaitForOutputAsync("Subscribed to edgesafety/v1/+/+/status", Bound);
        await ServiceProcess.WaitUntilHealthyAsync(ingest, port, Bound);

        await using var publisher = new MqttClient(new MqttClientOptions { Port = broker.Port, ClientId = "benchmark-gateways" }, NullLogger<MqttClient>.Instance);
        await publisher.ConnectAsync(CancellationToken.None);
        var sent = new long[count];
        var interval = TimeSpan.FromMinutes(1) / perMinute;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var due = interval * i;
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            sent[i] = Stopwatch.GetTimestamp();
            await publisher.PublishAsync(Topics.Status("bench", gateways[i]), GatewayStatus.Offline(gateways[i]), MqttQos.AtLeastOnce);
        }

        var publishing = clock.Elapsed;
        await Eventually.SucceedsAsync(() =>
        {
            ingest.ThrowIfExited();
            if (received.Count < count)
            {
                throw new InvalidOperationException($"{received.Count} of {count} webhooks received");
            }
        }, Bound, "every webhook");

        var latencies = gateways.Select((g, i) => Stopwatch.GetElapsedTime(sent[i], received[g]).TotalMilliseconds).Order().ToArray();
        double Percentile(double p) => latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(p * latencies.Length) - 1)];
        return new Result(database is null ? "SQLite" : "PostgreSQL", count, count / publishing.TotalMinutes,
            Percentile(0.50), Percentile(0.95), Percentile(0.99), latencies[^1]);
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Option(args, "--seconds", 60);
        var perMinute = Option(args, "--per-minute", 1000);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"New alerts at {perMinute} a minute for {seconds} s: gateway-offline message published -> ingest -> store -> webhook received; {Environment.ProcessorCount} cores."));
        Console.WriteLine();
        Console.WriteLine("| store | alerts | per minute | p50 ms | p95 ms | p99 ms | max ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        var results = new List<Result>();
        foreach (var postgres in args.Contains("--postgres") ? new[] { false, true } : [false])
        {
            var r = await MeasureAsync(perMinute, TimeSpan.FromSeconds(seconds), postgres);
            results.Add(r);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Store} | {r.Alerts} | {r.PerMinute:0} | {r.P50:0.0} | {r.P95:0.0} | {r.P99:0.0} | {r.Max:0.0} |"));
        }

        return results.All(r => r.P99 <= Goal.TotalMilliseconds) ? 0 : 1;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
