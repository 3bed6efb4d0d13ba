using System.Collections.Concurrent;
using EdgeSafety.Contracts;
using EdgeSafety.Mqtt;
using EdgeSafety.TestSupport;

namespace EdgeSafety.EdgeAgent.Tests;

/// <summary>The agent polling the simulated bus (socat pty pair) and publishing to a real mosquitto.</summary>
public sealed class BusPollingTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Reading>> _received = new();
    private readonly List<ExternalProcess> _services = [];
    private readonly RecordingLogger<MqttClient> _subscriberLog = new();
    private SerialLinePair _line = null!;
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync()
    {
        _line = await SerialLinePair.StartAsync();
        _broker = await MosquittoBroker.StartAsync();
        var simulator = ServiceProcess.Start("EdgeSafety.Simulators", LoopbackPort.Next(), $"--Simulator:Lines:0:DevicePath={_line.SlavePath}");
        _services.Add(simulator);
        await simulator.WaitForOutputAsync("Serving noise-courtyard", Bound);
    }

    public async Task DisposeAsync()
    {
        foreach (var service in _services)
        {
            service.Dispose();
        }

        await _broker.DisposeAsync();
        _line.Dispose();
    }

    [Fact]
    public async Task A_silent_device_does_not_hold_up_the_others_on_its_bus()
    {
        await using var subscriber = await SubscribeAsync();
        var agentPort = LoopbackPort.Next();
        // A fourth device at a unit id nobody answers: every poll of it waits out the response timeout.
        var agent = ServiceProcess.Start("EdgeSafety.EdgeAgent", agentPort,
            $"--Mqtt:Port={_broker.Port}", $"--Agent:Buses:0:DevicePath={_line.MasterPath}",
            "--Agent:Buses:0:ResponseTimeoutMilliseconds=300",
            "--Agent:Devices:3:Id=meter-silent", "--Agent:Devices:3:Bus=bus1", "--Agent:Devices:3:UnitId=5",
            "--Agent:Devices:3:Profile=harmonic-meter", "--Agent:Devices:3:PollIntervalMilliseconds=1000");
        _services.Add(agent);

        await Eventually.SucceedsAsync(() =>
        {
            foreach (var device in new[] { "meter-301", "meter-302", "noise-courtyard" })
            {
                (_received.GetValueOrDefault(device)?.Count ?? 0).Should().BeGreaterThanOrEqualTo(8, device);
            }
        }, Bound, "8 readings from each answering device");

        foreach (var device in new[] { "meter-301", "meter-302", "noise-courtyard" })
        {
            var readings = _received[device].OrderBy(r => r.Sequence).ToList();
            readings.Select(r => r.Sequence).Should().Equal(Enumerable.Range(0, readings.Count).Select(i => (long)i), $"{device} skips no poll");
            var largestGap = readings.Zip(readings.Skip(1), (a, b) => b.Timestamp - a.Timestamp).Max();
            largestGap.Should().BeLessThan(TimeSpan.FromSeconds(2), $"{device} keeps its 1 s rate beside the silent device");
        }

        _received.Should().NotContainKey("meter-silent");
        agent.Output.Split('\n').Count(l => l.Contains("Device meter-silent on bus bus1 (unit 5) is not answering", StringComparison.Ordinal))
            .Should().Be(1, "a failing device is logged when it starts failing, not on every poll");
        using var http = new HttpClient();
        (await PrometheusText.ReadAsync(http, new Uri($"http://127.0.0.1:{agentPort}/metrics"), "agent_poll_failures_total{reason=\"Timeout\"}"))
            .Should().BeGreaterThan(0);
        _subscriberLog.ShouldHaveNoErrors();
    }

    private async Task<MqttClient> SubscribeAsync()
    {
        var client = new MqttClient(new MqttClientOptions { Port = _broker.Port, ClientId = "test-subscriber" }, _subscriberLog);
        client.MessageReceived = message =>
        {
            if (ReadingCodec.TryParse(message.Topic, message.Payload, DateTimeOffset.UtcNow, out _, out var reading, out _))
            {
                _received.GetOrAdd(reading!.Device, _ => new ConcurrentQueue<Reading>()).Enqueue(reading);
            }
        };
        await client.ConnectAsync(CancellationToken.None);
        await client.SubscribeAsync(Topics.AllReadings, MqttQos.AtLeastOnce);
        return client;
    }
}
