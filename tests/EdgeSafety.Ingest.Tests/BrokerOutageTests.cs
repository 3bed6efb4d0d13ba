using EdgeSafety.Contracts;
using EdgeSafety.Influx;
using EdgeSafety.Mqtt;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Ingest.Tests;

/// <summary>Ingest started before its broker (a reboot where ingest wins the race) waits for it instead of failing.</summary>
public sealed class BrokerOutageTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Starts_while_the_broker_is_down_and_stores_readings_once_it_is_up()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var influxServer = await InfluxServer.StartAsync();
        await broker.StopAsync();
        var port = LoopbackPort.Next();
        using var ingest = ServiceProcess.Start("EdgeSafety.Ingest", port,
            $"--Mqtt:Port={broker.Port}", $"--Influx:BaseAddress={influxServer.BaseAddress}", "--Ingest:FlushIntervalMilliseconds=100");
        using var http = new HttpClient();

        await Eventually.SucceedsAsync(async () => (await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/healthz"))).Should().Be("ok"),
            Bound, "ingest to answer /healthz with the broker down");
        (await PrometheusText.ReadAsync(http, new Uri($"http://127.0.0.1:{port}/metrics"), "mqtt_connected")).Should().Be(0);

        await broker.StartProcessAsync();
        await ingest.WaitForOutputAsync(ServiceProcess.ReadingsSubscribed, Bound);
        var log = new RecordingLogger<MqttClient>();
        await using var publisher = new MqttClient(new MqttClientOptions { Port = broker.Port, ClientId = "test-publisher" }, log);
        await publisher.ConnectAsync(CancellationToken.None);
        var reading = new Reading("noise-1", DeviceKind.Noise, "noise-sensor-hr0", null, 7, DateTimeOffset.UtcNow,
            new Dictionary<string, double> { ["db_a"] = 58.5 });
        await publisher.PublishAsync(Topics.Readings("haizhu", "gw-02", "noise-1"), ReadingCodec.Serialize(reading), MqttQos.AtLeastOnce);

        var influx = new InfluxClient(http, new InfluxOptions { BaseAddress = influxServer.BaseAddress, Database = "edgesafety" });
        await Eventually.SucceedsAsync(async () =>
        {
            var series = await influx.QueryAsync("SELECT db_a, seq FROM noise WHERE device = 'noise-1'");
            series.Single().Values.Single()[1].GetDouble().Should().Be(58.5);
        }, Bound, "the reading in InfluxDB");
        (await PrometheusText.ReadAsync(http, new Uri($"http://127.0.0.1:{port}/metrics"), "mqtt_connected")).Should().Be(1);
        log.ShouldHaveNoErrors();
        ServiceProcess.ErrorLines(ingest).Should().BeEmpty();
    }
}
