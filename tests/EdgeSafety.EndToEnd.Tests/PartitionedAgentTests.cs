using EdgeSafety.Contracts;
using EdgeSafety.Influx;
using EdgeSafety.TestSupport;

namespace EdgeSafety.EndToEnd.Tests;

/// <summary>
/// An edge agent set to publish the partitioned readings topic, and two ingest instances dividing the partitions
/// between them (docs/scale-out.md), every part real and its own process: each instance takes exactly the readings of
/// its partitions' devices, and neither takes the plain topic, so any reading the agent published there would be lost.
/// </summary>
public sealed class PartitionedAgentTests : IAsyncLifetime
{
    private const string Site = "haizhu-demo";
    private const string Gateway = "gw-01";
    private static readonly TimeSpan Bound = RunningStack.Bound;
    private static readonly string[] Devices = ["meter-301", "meter-302", "noise-courtyard"];
    private readonly HttpClient _http = new();
    private readonly List<ExternalProcess> _services = [];
    private SerialLinePair _line = null!;
    private MosquittoBroker _broker = null!;
    private InfluxServer _influx = null!;

    public async Task InitializeAsync()
    {
        _line = await SerialLinePair.StartAsync();
        _broker = await MosquittoBroker.StartAsync();
        _influx = await InfluxServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _services.ForEach(s => s.Dispose());
        await _influx.DisposeAsync();
        await _broker.DisposeAsync();
        _line.Dispose();
        _http.Dispose();
    }

    [Fact]
    public async Task Two_ingest_instances_with_split_partitions_each_receive_exactly_their_devices_readings_from_the_agent()
    {
        // The shipped devices' partitions (FNV-1a of site/gateway/device mod 64): 58, 39 and 32.
        var partitions = Devices.ToDictionary(d => d, d => Topics.Partition(Site, Gateway, d));
        var ofA = Devices.Where(d => partitions[d] < 48).ToList();
        ofA.Should().BeEquivalentTo(["meter-302", "noise-courtyard"], "the split below gives each instance devices");

        string[] common = [$"--Mqtt:Port={_broker.Port}", $"--Influx:BaseAddress={_influx.BaseAddress}", "--Ingest:Unpartitioned=false",
            "--Ingest:FlushIntervalMilliseconds=200"];
        var (portA, portB) = (LoopbackPort.Next(), LoopbackPort.Next());
        var ingestA = Start("EdgeSafety.Ingest", portA, [.. common, "--Mqtt:ClientId=ingest-a", "--Ingest:Partitions=0-47"]);
        var ingestB = Start("EdgeSafety.Ingest", portB, [.. common, "--Mqtt:ClientId=ingest-b", "--Ingest:Partitions=48-63"]);
        var simulatorPort = LoopbackPort.Next();
        var simulator = Start("EdgeSafety.Simulators", simulatorPort, [$"--Simulator:Lines:0:DevicePath={_line.SlavePath}"]);
        foreach (var (ingest, port) in new[] { (ingestA, portA), (ingestB, portB) })
        {
            await ingest.WaitForOutputAsync(ServiceProcess.ReadingsSubscribed, Bound);
            await ServiceProcess.WaitUntilHealthyAsync(ingest, port, Bound);
        }

        await simulator.WaitForOutputAsync("Serving noise-courtyard", Bound);
        var agent = Start("EdgeSafety.EdgeAgent", LoopbackPort.Next(),
            [$"--Mqtt:Port={_broker.Port}", $"--Agent:Buses:0:DevicePath={_line.MasterPath}", "--Agent:PartitionedReadings=true"]);

        var influx = new InfluxClient(_http, new InfluxOptions { BaseAddress = _influx.BaseAddress, Database = "edgesafety" });
        await Eventually.SucceedsAsync(async () => (await StoredAsync(influx)).Should().OnlyContain(d => d.Value >= 5).And.HaveCount(Devices.Length),
            Bound, "five readings of every device in InfluxDB");
        (await agent.StopGracefullyAsync(Bound)).Should().Be(0);

        // With the agent stopped, the counts settle: every reading it published is in InfluxDB, written by one instance.
        var stored = await Eventually.ReturnsAsync(async () =>
        {
            var counts = await StoredAsync(influx);
            var received = await ReceivedAsync(portA) + await ReceivedAsync(portB);
            return received == counts.Values.Sum() ? counts : null;
        }, Bound, "every reading the instances received in InfluxDB");
        (await ReceivedAsync(portA)).Should().Be(ofA.Sum(d => stored[d]), "A takes exactly the readings of its partitions' devices");
        (await ReceivedAsync(portB)).Should().Be(stored.Where(d => !ofA.Contains(d.Key)).Sum(d => d.Value), "B takes the rest");
        foreach (var port in new[] { portA, portB })
        {
            (await MetricAsync(port, "ingest_readings_missing_total")).Should().Be(0, "every device's readings reach one instance whole");
            (await MetricAsync(port, "ingest_readings_repeated_total")).Should().Be(0);
        }

        ServiceProcess.ErrorLines(agent).Should().BeEmpty();
        ServiceProcess.ErrorLines(ingestA).Should().BeEmpty();
        ServiceProcess.ErrorLines(ingestB).Should().BeEmpty();
    }

    /// <summary>Readings in InfluxDB per device.</summary>
    private static async Task<Dictionary<string, long>> StoredAsync(InfluxClient influx)
    {
        var meters = await influx.QueryAsync("SELECT count(seq) FROM meter GROUP BY device");
        var noise = await influx.QueryAsync("SELECT count(seq) FROM noise GROUP BY device");
        return meters.Concat(noise).ToDictionary(s => s.Tags["device"], s => s.Values.Single()[1].GetInt64());
    }

    private Task<double> ReceivedAsync(int port) => MetricAsync(port, "ingest_messages_received_total");

    private Task<double> MetricAsync(int port, string sample) =>
        PrometheusText.ReadAsync(_http, new Uri($"http://127.0.0.1:{port}/metrics"), sample);

    private ExternalProcess Start(string project, int port, string[] settings)
    {
        var process = ServiceProcess.Start(project, port, settings);
        _services.Add(process);
        return process;
    }
}
