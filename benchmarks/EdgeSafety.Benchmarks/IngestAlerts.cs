using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EdgeSafety.Contracts;
using EdgeSafety.Influx;
using EdgeSafety.LoadGenerator;
using EdgeSafety.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeSafety.Benchmarks;

/// <summary>
/// Publish-to-alert latency and the alert and loss counts of a steady load with incidents (docs/benchmarks.md): devices
/// read every 5 s of their own time and one in seven has an incident all through the run (an e-bike charger plugged in
/// at its 7th reading, a loud event), so the analysers raise alerts within seconds of wall time. The instances share
/// one alert store, as a deployment's do.
/// </summary>
internal sealed partial class IngestThroughput
{
    private static readonly TimeSpan AlertPollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Runs the incident load at <paramref name="readingsPerSecond"/> through <paramref name="instances"/> instances. An
    /// e-bike alert's latency counts from just before the publish of the reading that confirmed it (the alert's first
    /// signal time is that reading's timestamp) to the poll of the alert list (every 20 ms) that first shows it. Then,
    /// once every acknowledged reading is in InfluxDB or the bound has passed, counts the readings missing there and
    /// the alerts raised more than once for one device and kind.
    /// </summary>
    public async Task<AlertRun> AlertsAsync(double readingsPerSecond, int instances)
    {
        using var store = new TemporaryDirectory("bench-alerts");
        var ingests = await StartIngestsAsync(instances, $"--Alerts:Store:SqlitePath={store.Combine("alerts.db")}");
        try
        {
            await WarmUpAsync(ingests);
            // Each publish in its own segment, as a gateway sends it: the generator's packed segments (its throughput
            // setting) held publishes back: two instances' p99 was 572 ms with them, 241 ms without.
            var options = Load(partitioned: true) with { ReadingsPerSecond = readingsPerSecond, ReadingInterval = TimeSpan.FromSeconds(5), IncidentEvery = 7, TcpNoDelay = true };
            var run = new LoadRun(options, NullLoggerFactory.Instance);
            var published = new Dictionary<(string Gateway, string Device, long TimestampMs), long>();
            var latencies = new List<double>();
            var alertsUri = new Uri($"http://127.0.0.1:{ingests[0].Port}/api/alerts?open=false");
            var seen = new HashSet<long>();
            using var stop = new CancellationTokenSource();
            var polling = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var alerts = await _http.GetFromJsonAsync<JsonArray>(alertsUri) ?? [];
                    var now = Stopwatch.GetTimestamp();
                    lock (published)
                    {
                        foreach (var alert in alerts.Where(a => (string?)a!["site"] == options.Site && (string?)a["kind"] == "EbikeCharging"))
                        {
                            var key = ((string)alert!["gateway"]!, (string)alert["device"]!, DateTimeOffset.Parse((string)alert["firstSeen"]!, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
                            if (seen.Add((long)alert["id"]!) && published.TryGetValue(key, out var at))
                            {
                                latencies.Add(Stopwatch.GetElapsedTime(at, now).TotalMilliseconds);
                            }
                        }
                    }

                    await Task.Delay(AlertPollInterval);
                }
            });
            var result = await run.RunAsync(CancellationToken.None, (device, _, timestamp) =>
            {
                if (device.Incident && device.Kind == DeviceKind.Meter)
                {
                    lock (published)
                    {
                        published[(device.Gateway, device.Id, timestamp.ToUnixTimeMilliseconds())] = Stopwatch.GetTimestamp();
                    }
                }
            });

            var lost = await MissingReadingsAsync(options.Site, result);
            await Task.Delay(AlertPollInterval * 5);
            await stop.CancelAsync();
            await polling;
            var all = (await _http.GetFromJsonAsync<JsonArray>(alertsUri) ?? []).Where(a => (string?)a!["site"] == options.Site).ToList();
            var duplicates = all.GroupBy(a => ((string?)a!["kind"], (string?)a["subject"])).Sum(g => g.Count() - 1);
            latencies.Sort();
            return new AlertRun(result.AcknowledgedPerSecond, result.Acknowledged, lost, all.Count, duplicates, latencies.Count,
                Percentile(latencies, 0.50), Percentile(latencies, 0.99));
        }
        finally
        {
            ingests.ForEach(i => i.Process.Dispose());
        }
    }

    /// <summary>Acknowledged readings not in InfluxDB, once all are there or the bound has passed (a lost reading never arrives).</summary>
    private async Task<long> MissingReadingsAsync(string site, LoadResult result)
    {
        var influx = new InfluxClient(_http, new InfluxOptions { BaseAddress = _influxServer.BaseAddress, Database = "edgesafety" });
        var acknowledged = result.Devices.ToDictionary(d => (d.Gateway, d.Device), d => d.Acknowledged);
        var waiting = Stopwatch.StartNew();
        while (true)
        {
            var stored = new Dictionary<(string, string), long>();
            foreach (var measurement in new[] { "meter", "noise" })
            {
                foreach (var series in await influx.QueryAsync($"SELECT count(seq) FROM {measurement} WHERE site = {InfluxQL.Literal(site)} GROUP BY gateway, device"))
                {
                    stored[(series.Tags["gateway"], series.Tags["device"])] = series.Values.Single()[1].GetInt64();
                }
            }

            var missing = acknowledged.Sum(d => Math.Max(0, d.Value - stored.GetValueOrDefault(d.Key)));
            if (missing == 0 || waiting.Elapsed > Bound)
            {
                return missing;
            }

            await Task.Delay(100);
        }
    }

    public sealed record AlertRun(double ReadingsPerSecond, long Acknowledged, long Lost, int Alerts, int DuplicateAlerts, int Samples,
        double P50Milliseconds, double P99Milliseconds);
}
