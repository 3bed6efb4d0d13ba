using EdgeSafety.Contracts;
using EdgeSafety.TestSupport;

namespace EdgeSafety.EdgeAgent.Tests;

/// <summary>Device events at a real mosquitto as the simulated devices go silent, come back, lose and regain voltage.</summary>
public sealed class DeviceEventTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private SimulatedSite _site = null!;

    public async Task InitializeAsync() => _site = await SimulatedSite.StartAsync();

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task A_device_that_stops_answering_is_reported_offline_once_and_online_when_it_answers_again()
    {
        await using var subscriber = await ReadingsSubscriber.StartAsync(_site.Broker);
        using var agent = ServiceProcess.Start("EdgeSafety.EdgeAgent", LoopbackPort.Next(),
            _site.AgentSettings("--Agent:Buses:0:ResponseTimeoutMilliseconds=200"));
        await WaitForReadingAsync(subscriber, "meter-302");

        await _site.SetSilentAsync("meter-302", silent: true);
        await WaitForEventsAsync(subscriber, "meter-302", 1);
        var offline = subscriber.Events("meter-302")[0];
        offline.Event.Should().Be(DeviceEventKind.Offline);
        offline.Sequence.Should().Be(0);
        offline.Detail["reason"].Should().Be("Timeout");
        var lastReading = subscriber.HighestSequence("meter-302");
        // Polls keep failing (1 s, then 2 s backoff) without another offline event.
        await Task.Delay(TimeSpan.FromSeconds(3));
        subscriber.Events("meter-302").Should().ContainSingle();

        await _site.SetSilentAsync("meter-302", silent: false);
        await WaitForEventsAsync(subscriber, "meter-302", 2);
        var online = subscriber.Events("meter-302")[1];
        online.Event.Should().Be(DeviceEventKind.Online);
        online.Sequence.Should().Be(1, "events are numbered per device in a sequence of their own");
        ((double)online.Detail["offline_seconds"]).Should().BeGreaterThan(2);
        await Eventually.SucceedsAsync(() => subscriber.HighestSequence("meter-302").Should().BeGreaterThan(lastReading), Bound, "readings again");
        subscriber.ShouldHaveAnUnbrokenRun("meter-302", from: 0);
        subscriber.Events("meter-301").Should().BeEmpty();
        subscriber.Log.ShouldHaveNoErrors();
    }

    [Fact]
    public async Task A_meter_whose_voltage_drops_to_zero_is_reported_tampered_and_restored_when_it_returns()
    {
        await using var subscriber = await ReadingsSubscriber.StartAsync(_site.Broker);
        using var agent = ServiceProcess.Start("EdgeSafety.EdgeAgent", LoopbackPort.Next(), _site.AgentSettings());
        await WaitForReadingAsync(subscriber, "meter-301");

        await _site.PinAsync("meter-301", new Dictionary<string, double> { ["voltage_v"] = 0 });
        await WaitForEventsAsync(subscriber, "meter-301", 1);
        var tampered = subscriber.Events("meter-301")[0];
        tampered.Event.Should().Be(DeviceEventKind.Tampered);
        tampered.Detail["voltage_v"].Should().Be(0.0);
        ((double)tampered.Detail["previous_voltage_v"]).Should().BeInRange(200, 260);

        await _site.ReleasePinsAsync("meter-301");
        await WaitForEventsAsync(subscriber, "meter-301", 2);
        var restored = subscriber.Events("meter-301")[1];
        restored.Event.Should().Be(DeviceEventKind.Restored);
        ((double)restored.Detail["voltage_v"]).Should().BeInRange(200, 260);
        subscriber.Events("meter-302").Should().BeEmpty();
        subscriber.Events("noise-courtyard").Should().BeEmpty("a noise sensor has no voltage to lose");
    }

    private static Task WaitForReadingAsync(ReadingsSubscriber subscriber, string device) =>
        Eventually.SucceedsAsync(() => subscriber.Arrivals(device).Should().NotBeEmpty(), Bound, $"a reading of {device}");

    private static Task WaitForEventsAsync(ReadingsSubscriber subscriber, string device, int count) =>
        Eventually.SucceedsAsync(() => subscriber.Events(device).Should().HaveCount(count), Bound, $"{count} event(s) of {device}");
}
