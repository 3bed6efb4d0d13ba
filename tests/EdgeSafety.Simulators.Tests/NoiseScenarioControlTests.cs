using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Simulators.Tests;

/// <summary>Starting a noise scenario on a simulated sensor through the control API, as the demo does.</summary>
public sealed class NoiseScenarioControlTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_started_scenario_drives_the_sensor_and_wrong_requests_are_refused_with_the_reason()
    {
        using var line = await SerialLinePair.StartAsync();
        var port = LoopbackPort.Next();
        using var simulator = ServiceProcess.Start("EdgeSafety.Simulators", port,
            $"--Simulator:Lines:0:DevicePath={line.SlavePath}", "--Simulator:UpdateIntervalMilliseconds=100");
        await ServiceProcess.WaitUntilHealthyAsync(simulator, port, Bound);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        var started = await http.PutAsJsonAsync("devices/noise-courtyard/scenario", new { scenario = "square-dancing" });
        started.StatusCode.Should().Be(HttpStatusCode.OK, await started.Content.ReadAsStringAsync());

        // The dance starts with a song at about 70 dB; the street alone never passes 58 + 20.
        await Eventually.SucceedsAsync(async () =>
        {
            using var devices = JsonDocument.Parse(await http.GetStringAsync(new Uri("devices", UriKind.Relative)));
            devices.RootElement.GetProperty("noise-courtyard").GetProperty("db_a").GetDouble().Should().BeInRange(64, 76);
        }, Bound, "the courtyard sensor to serve the square dance");

        var meter = await http.PutAsJsonAsync("devices/meter-301/scenario", new { scenario = "square-dancing" });
        meter.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await meter.Content.ReadAsStringAsync()).Should().Contain("'meter-301' does not run the noise-scenarios model");
        var unknown = await http.PutAsJsonAsync("devices/noise-courtyard/scenario", new { scenario = "opera" });
        (await unknown.Content.ReadAsStringAsync()).Should().Contain("no scenario 'opera'; there are ping-pong-plaza, square-dancing");
        (await http.DeleteAsync(new Uri("devices/noise-courtyard/scenario", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NoContent);
    }
}
