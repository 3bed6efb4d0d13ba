using System.Collections.Concurrent;
using EdgeSafety.Contracts;
using EdgeSafety.Mqtt;
using EdgeSafety.TestSupport;

namespace EdgeSafety.EdgeAgent.Tests;

/// <summary>
/// Follows every reading and device event on the broker with a persistent session (so nothing is missed while the
/// broker restarts), keeping every copy per device in the order it arrived, duplicates included.
/// </summary>
internal sealed class ReadingsSubscriber : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Reading>> _received = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<DeviceEvent>> _events = new();
    private readonly MqttClient _client;

    private ReadingsSubscriber(MosquittoBroker broker)
    {
        _client = new MqttClient(new MqttClientOptions
        {
            Port = broker.Port,
            ClientId = "test-subscriber",
            CleanSession = false,
            ReconnectDelayMaxSeconds = 1,
        }, Log);
        _client.MessageReceived = message =>
        {
            if (ReadingCodec.TryParse(message.Topic, message.Payload, DateTimeOffset.UtcNow, out _, out var reading, out _))
            {
                _received.GetOrAdd(reading!.Device, _ => new ConcurrentQueue<Reading>()).Enqueue(reading);
            }
            else if (DeviceEventCodec.TryParse(message.Topic, message.Payload, DateTimeOffset.UtcNow, out _, out var deviceEvent, out _))
            {
                _events.GetOrAdd(deviceEvent!.Device, _ => new ConcurrentQueue<DeviceEvent>()).Enqueue(deviceEvent);
            }
        };
    }

    public RecordingLogger<MqttClient> Log { get; } = new();

    public static async Task<ReadingsSubscriber> StartAsync(MosquittoBroker broker)
    {
        var subscriber = new ReadingsSubscriber(broker);
        await subscriber._client.ConnectAsync(CancellationToken.None);
        await subscriber._client.SubscribeAsync(Topics.AllReadings, MqttQos.AtLeastOnce);
        await subscriber._client.SubscribeAsync(Topics.AllEvents, MqttQos.AtLeastOnce);
        return subscriber;
    }

    /// <summary>Every device event received from the device, in arrival order.</summary>
    public IReadOnlyList<DeviceEvent> Events(string device) => [.. _events.GetValueOrDefault(device) ?? []];

    /// <summary>Every copy received from the device, in arrival order.</summary>
    public IReadOnlyList<Reading> Arrivals(string device) => [.. _received.GetValueOrDefault(device) ?? []];

    /// <summary>The device's sequence numbers in the order each first arrived (repeats left out).</summary>
    public IReadOnlyList<long> FirstArrivals(string device) => [.. Arrivals(device).Select(r => r.Sequence).Distinct()];

    public long HighestSequence(string device) => Arrivals(device).Select(r => r.Sequence).DefaultIfEmpty(-1).Max();

    /// <summary>
    /// Every number from the device's first received one to its highest arrived, each first time in order, and every
    /// repeat is the same reading (same time and values), so no number was used for two readings.
    /// </summary>
    public void ShouldHaveAnUnbrokenRun(string device, long from)
    {
        var first = FirstArrivals(device);
        first.Should().Equal(Enumerable.Range(0, first.Count).Select(i => from + i), $"{device} arrives in order with no number missing");
        foreach (var copies in Arrivals(device).GroupBy(r => r.Sequence).Where(g => g.Count() > 1))
        {
            copies.Select(r => (r.Timestamp, string.Join(",", r.Values.Select(v => $"{v.Key}={v.Value}")))).Distinct()
                .Should().ContainSingle($"every copy of {device} seq {copies.Key} is the same reading (a repeat, not a reused number)");
        }
    }

    public async ValueTask DisposeAsync() => await _client.DisposeAsync();
}
