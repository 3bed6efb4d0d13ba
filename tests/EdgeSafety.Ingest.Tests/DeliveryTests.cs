using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EdgeSafety.Contracts;
using EdgeSafety.Influx;
using EdgeSafety.LoadGenerator;
using EdgeSafety.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeSafety.Ingest.Tests;

/// <summary>
/// At least once from the broker to InfluxDB (docs/ingest-delivery.md): ingest killed under load, and InfluxDB away
/// under load, lose no reading the broker acknowledged to its publisher. Real mosquitto, real influxd, ingest as its
/// own process, readings from the load generator.
/// </summary>
public sealed class DeliveryTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly HttpClient _http = new();
    private readonly TemporaryDirectory _spill = new("ingest-spill");
    private readonly TemporaryDirectory _alerts = new("ingest-alerts");
    private MosquittoBroker _broker = null!;
    private InfluxServer _influxServer = null!;
    private InfluxClient _influx = null!;

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartAsync();
        _influxServer = await InfluxServer.StartAsync();
        _influx = new InfluxClient(_http, new InfluxOptions { BaseAddress = _influxServer.BaseAddress, Database = "edgesafety" });
    }

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        await _influxServer.DisposeAsync();
        _spill.Dispose();
        _alerts.Dispose();
        _http.Dispose();
    }

    [Fact]
    public async Task Ingest_killed_under_load_and_restarted_stores_every_acknowledged_reading()
    {
        var port = LoopbackPort.Next();
        // Batches wait up to 2 s to fill, so when the kill comes, readings sit in the spill that InfluxDB does not have.
        string[] settings = [$"--Mqtt:Port={_broker.Port}", $"--Influx:BaseAddress={_influxServer.BaseAddress}",
            $"--Store:Directory={_spill.Path}", "--Ingest:FlushIntervalMilliseconds=2000"];
        var ingest = await StartIngestAsync(port, settings);
        var load = StartLoad(new LoadOptions { Site = "kill", Gateways = 4, DevicesPerGateway = 10, ReadingsPerSecond = 800, MaxReadings = 6000 });

        await Eventually.SucceedsAsync(async () => (await MetricAsync(port, "ingest_messages_received_total")).Should().BeGreaterThan(2000),
            Bound, "ingest to take 2,000 readings");
        ingest.Kill();
        ingest.Dispose();
        using var restarted = await StartIngestAsync(port, settings);

        var result = await load;
        result.Failed.Should().Be(0);
        await restarted.WaitForOutputAsync("points from before this start", Bound);
        await Eventually.SucceedsAsync(() => StoredReadings.ShouldHoldEveryAcknowledgedAsync(_influx, "kill", result), Bound,
            "every acknowledged reading in InfluxDB");
        ServiceProcess.ErrorLines(restarted).Should().BeEmpty();
    }

    [Fact]
    public async Task InfluxDB_away_under_load_readings_wait_in_the_spill_and_catch_up_when_it_returns()
    {
        var port = LoopbackPort.Next();
        using var ingest = await StartIngestAsync(port, $"--Mqtt:Port={_broker.Port}", $"--Influx:BaseAddress={_influxServer.BaseAddress}",
            $"--Store:Directory={_spill.Path}", "--Ingest:FlushIntervalMilliseconds=100", "--Ingest:MaxRetryDelayMilliseconds=500",
            "--Ingest:StuckWriterSeconds=5");
        var load = StartLoad(new LoadOptions { Site = "outage", Gateways = 4, DevicesPerGateway = 10, ReadingsPerSecond = 500, MaxReadings = 4000 });
        await Eventually.SucceedsAsync(async () => (await MetricAsync(port, "ingest_points_written_total")).Should().BeGreaterThan(200),
            Bound, "the first readings in InfluxDB");

        await _influxServer.StopAsync();
        var result = await load;
        result.Failed.Should().Be(0);
        await Eventually.SucceedsAsync(async () =>
        {
            (await MetricAsync(port, "ingest_messages_received_total")).Should().Be(result.Acknowledged);
            (await MetricAsync(port, "ingest_spill_points")).Should().BeGreaterThan(1000, "the readings since InfluxDB went wait on disk");
            (await MetricAsync(port, "ingest_spill_oldest_age_seconds")).Should().BePositive();
            (await MetricAsync(port, "ingest_spill_bytes")).Should().BePositive("the spill's size on disk is a figure of its own");
            using var health = await _http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"));
            health.StatusCode.Should().Be(System.Net.HttpStatusCode.ServiceUnavailable, "the writer has been stuck for longer than 5 s");
            (await health.Content.ReadAsStringAsync()).Should().Contain("points wait in the spill");
        }, Bound, "the backlog in the spill and /healthz reporting the stuck writer");

        await _influxServer.StartProcessAsync();
        await Eventually.SucceedsAsync(() => StoredReadings.ShouldHoldEveryAcknowledgedAsync(_influx, "outage", result), Bound,
            "every acknowledged reading in InfluxDB");
        await Eventually.SucceedsAsync(async () =>
        {
            (await MetricAsync(port, "ingest_spill_points")).Should().Be(0);
            (await _http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/healthz"))).Should().Be("ok");
        }, Bound, "the spill drained and ingest healthy");
        (await MetricAsync(port, "ingest_write_failures_total{reason=\"transient\"}")).Should().BePositive();
        (await MetricAsync(port, "ingest_influx_write_duration_seconds_count")).Should().BePositive("InfluxDB's write latency is measured per batch");
        (await MetricAsync(port, "ingest_influx_write_duration_seconds_sum")).Should().BePositive();
        ServiceProcess.ErrorLines(ingest).Where(line => !line.Contains("Health check influx-writer with status Unhealthy", StringComparison.Ordinal))
            .Should().BeEmpty("the stuck writer is the only error expected");
    }

    [Fact]
    public async Task Two_instances_share_the_partitions_and_one_killed_mid_run_loses_nothing_reorders_nothing_and_raises_no_alert_twice()
    {
        // One alert store for both, as several instances run (docs/alerts.md: a SQLite file serves processes on one
        // machine, PostgreSQL several machines).
        // The noise alert goes to the wardens once an exceedance outlasts the on-site warnings: with 1-minute rule windows
        // and 2 minutes of escalation that is about 5 minutes of a sensor's time, well within the run even after the kill.
        string[] common = [$"--Mqtt:Port={_broker.Port}", $"--Influx:BaseAddress={_influxServer.BaseAddress}", "--Ingest:FlushIntervalMilliseconds=1000",
            $"--Alerts:Store:SqlitePath={_alerts.Combine("alerts.db")}", "--Noise:Defaults:RuleWindowMinutes=1", "--Noise:Defaults:EscalateAfterMinutes=2"];
        var portA = LoopbackPort.Next();
        string[] settingsA = [.. common, "--Mqtt:ClientId=ingest-a", "--Ingest:Partitions=0-31", $"--Store:Directory={_spill.Path}"];
        var ingestA = await StartIngestAsync(portA, settingsA);
        var portB = LoopbackPort.Next();
        using var ingestB = await StartIngestAsync(portB, [.. common, "--Mqtt:ClientId=ingest-b", "--Ingest:Partitions=32-63", "--Ingest:Unpartitioned=false"]);
        // Devices read every 5 s of their own time, every third with an incident (an e-bike charging, a loud event) that
        // the analysers confirm within the run: 250 readings a device, 21 minutes of its time.
        var load = StartLoad(new LoadOptions { Site = "shared", Gateways = 4, DevicesPerGateway = 10, ReadingsPerSecond = 800, MaxReadings = 10000,
            Partitioned = true, ReadingInterval = TimeSpan.FromSeconds(5), IncidentEvery = 3 });

        // Killed once it has taken 1,000 readings and its first alerts are in the store, so that after the restart the
        // broker hands it again readings that already raised an alert.
        await Eventually.SucceedsAsync(async () =>
        {
            (await MetricAsync(portA, "ingest_messages_received_total")).Should().BeGreaterThan(1000);
            (await AlertsAsync(portB)).Should().Contain(a => Topics.Partition(a.Site, a.Gateway, a.Device) < 32);
        }, Bound, "instance A to take 1,000 readings and raise an alert");
        ingestA.Kill();
        ingestA.Dispose();
        using var restartedA = await StartIngestAsync(portA, settingsA);

        var result = await load;
        result.Failed.Should().Be(0);
        await Eventually.SucceedsAsync(() => StoredReadings.ShouldHoldEveryAcknowledgedAsync(_influx, "shared", result), Bound,
            "every acknowledged reading in InfluxDB");
        var partitionsOfB = result.Devices.Where(d => Topics.Partition(d.Site, d.Gateway, d.Device) >= 32).ToList();
        partitionsOfB.Should().NotBeEmpty().And.HaveCountLessThan(result.Devices.Count);
        (await MetricAsync(portB, "ingest_messages_received_total")).Should().Be(partitionsOfB.Sum(d => d.Acknowledged),
            "B takes exactly the devices of its partitions (and was never restarted, so nothing twice)");
        foreach (var port in new[] { portA, portB })
        {
            // Each device's readings all reach one instance, in order: none skipped (taken by the other), none repeated.
            (await MetricAsync(port, "ingest_readings_missing_total")).Should().Be(0);
            (await MetricAsync(port, "ingest_readings_repeated_total")).Should().Be(0);
        }

        // The incident noise sensor's exceedance needs the most readings: once it is raised, the alerts are complete.
        var alerts = await Eventually.ReturnsAsync(async () =>
        {
            var all = await AlertsAsync(portA);
            return all.Any(a => a.Kind == "NoiseExceedance") && all.Any(a => a.Kind == "EbikeCharging") ? all : null;
        }, Bound, "the charging and noise alerts in the shared store");
        alerts.GroupBy(a => (a.Kind, a.Site, a.Gateway, a.Device)).Should().OnlyContain(g => g.Count() == 1,
            "a redelivered or repeated confirmation refreshes the open alert instead of raising another");
        alerts.Should().OnlyContain(a => a.Open);

        ServiceProcess.ErrorLines(restartedA).Should().BeEmpty();
        ServiceProcess.ErrorLines(ingestB).Should().BeEmpty();
    }

    /// <summary>Every alert in the store the instances share (open and closed), as its HTTP API lists them.</summary>
    private async Task<List<(string Kind, string Site, string Gateway, string Device, bool Open)>> AlertsAsync(int port)
    {
        var alerts = await _http.GetFromJsonAsync<JsonArray>(new Uri($"http://127.0.0.1:{port}/api/alerts?open=false")) ?? [];
        return [.. alerts.Select(a => ((string)a!["kind"]!, (string)a["site"]!, (string)a["gateway"]!, (string?)a["device"] ?? "", a["closedAt"] is null))];
    }

    private static async Task<ExternalProcess> StartIngestAsync(int port, params string[] settings)
    {
        var ingest = ServiceProcess.Start("EdgeSafety.Ingest", port, settings);
        await ServiceProcess.WaitUntilHealthyAsync(ingest, port, Bound);
        await ingest.WaitForOutputAsync(ServiceProcess.ReadingsSubscribed, Bound);
        return ingest;
    }

    private Task<LoadResult> StartLoad(LoadOptions options) =>
        Task.Run(() => new LoadRun(options with { Port = _broker.Port, Duration = Bound }, NullLoggerFactory.Instance).RunAsync(CancellationToken.None));

    private Task<double> MetricAsync(int port, string sample) =>
        PrometheusText.ReadAsync(_http, new Uri($"http://127.0.0.1:{port}/metrics"), sample);
}
