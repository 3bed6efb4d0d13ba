using System.Text;
using EdgeSafety.Contracts;
using EdgeSafety.Influx;
using EdgeSafety.Mqtt;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Ingest.Tests;

/// <summary>Ingest as it runs in production (its own process, shipped settings) against a real mosquitto and influxd.</summary>
public sealed class MalformedMessagesTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http = new();
    private MosquittoBroker _broker = null!;
    private InfluxServer _influx = null!;
    private ExternalProcess _ingest = null!;
    private Uri _metrics = null!;

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartAsync();
        _influx = await InfluxServer.StartAsync();
        var port = LoopbackPort.Next();
        _metrics = new Uri($"http://127.0.0.1:{port}/metrics");
        _ingest = ServiceProcess.Start("EdgeSafety.Ingest", port,
            $"--Mqtt:Port={_broker.Port}", $"--Influx:BaseAddress={_influx.BaseAddress}", "--Ingest:FlushIntervalMilliseconds=100");
        await _ingest.WaitForOutputAsync(ServiceProcess.ReadingsSubscribed, Bound);
        await ServiceProcess.WaitUntilHealthyAsync(_ingest, port, Bound);
    }

    public async Task DisposeAsync()
    {
        _ingest.Dispose();
        await _influx.DisposeAsync();
        await _broker.DisposeAsync();
        _http.Dispose();
    }

    [Fact]
    public async Task Rejects_and_counts_each_malformed_message_and_keeps_storing_good_ones()
    {
        const string topic = "edgesafety/v1/haizhu/gw-01/readings/meter-301";
        var malformed = new (string Topic, byte[] Payload, string Reason)[]
        {
            (topic, "not json"u8.ToArray(), "not_json"),
            (topic, [0xFF, 0xFE, 0x00, 0x01], "not_json"),
            (topic, Encoding.UTF8.GetBytes(Good(2).Replace("\"seq\":2", "\"seq\":\"two\"")), "wrong_type"),
            (topic, Encoding.UTF8.GetBytes(Good(2).Replace("\"v\":1,", "")), "missing_field"),
            (topic, Encoding.UTF8.GetBytes(Good(2).Replace("\"v\":1", "\"v\":9")), "unsupported_version"),
            (topic, Encoding.UTF8.GetBytes(Good(2).Replace("230.5", "\"high\"")), "wrong_type"),
            (topic, Encoding.UTF8.GetBytes(Good(2).Replace("\"unit\":\"room-301\",", $"\"junk\":\"{new string('x', 100_000)}\",")), "too_large"),
            ("edgesafety/v1/haizhu/gw-01/readings/meter-999", Encoding.UTF8.GetBytes(Good(2)), "topic_mismatch"),
            ("edgesafety/v1/haizhu/gw-01/readings/meter 301", Encoding.UTF8.GetBytes(Good(2)), "unknown_topic"),
        };

        var publisherLog = new RecordingLogger<MqttClient>();
        await using var publisher = new MqttClient(new MqttClientOptions { Port = _broker.Port, ClientId = "test-publisher" }, publisherLog);
        await publisher.ConnectAsync(CancellationToken.None);
        await publisher.PublishAsync(topic, Encoding.UTF8.GetBytes(Good(1)), MqttQos.AtLeastOnce);
        foreach (var (badTopic, payload, _) in malformed)
        {
            await publisher.PublishAsync(badTopic, payload, MqttQos.AtLeastOnce);
        }

        await publisher.PublishAsync(topic, Encoding.UTF8.GetBytes(Good(2)), MqttQos.AtLeastOnce);

        var influx = new InfluxClient(_http, new InfluxOptions { BaseAddress = _influx.BaseAddress, Database = "edgesafety" });
        await Eventually.SucceedsAsync(async () =>
        {
            var series = await influx.QueryAsync("SELECT seq, voltage_v FROM meter WHERE device = 'meter-301'");
            series.Single().Values.Select(row => row[1].GetInt64()).Should().Equal(1, 2);
        }, Bound, "both good readings in InfluxDB");

        foreach (var reason in malformed.GroupBy(m => m.Reason))
        {
            (await RejectedAsync(reason.Key)).Should().Be(reason.Count(), $"{reason.Key} messages are counted");
        }

        (await PrometheusText.ReadAsync(_http, _metrics, "ingest_messages_received_total")).Should().Be(malformed.Length + 2);
        // InfluxDB shows the points before ingest has read its answer and counted them.
        await Eventually.SucceedsAsync(async () => (await PrometheusText.ReadAsync(_http, _metrics, "ingest_points_written_total")).Should().Be(2),
            Bound, "both written points counted");
        _ingest.HasExited.Should().BeFalse();
        publisherLog.ShouldHaveNoErrors();
        ServiceProcess.ErrorLines(_ingest).Should().BeEmpty();
        _ingest.Output.Should().Contain("Rejected a message on edgesafety/v1/haizhu/gw-01/readings/meter-301: NotJson");
    }

    private Task<double> RejectedAsync(string reason) =>
        PrometheusText.ReadAsync(_http, _metrics, $"ingest_messages_rejected_total{{reason=\"{reason}\"}}");

    private static string Good(long seq) => Encoding.UTF8.GetString(ReadingCodec.Serialize(new Reading(
        "meter-301", DeviceKind.Meter, "harmonic-meter", "room-301", seq,
        DateTimeOffset.UtcNow.AddSeconds(seq - 10),
        new Dictionary<string, double> { ["voltage_v"] = 230.5, ["power_w"] = seq * 100.0 })));
}
