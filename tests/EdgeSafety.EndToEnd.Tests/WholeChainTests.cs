using System.Net.Http.Json;
using EdgeSafety.Influx;
using EdgeSafety.TestSupport;
using Microsoft.Playwright;
using static EdgeSafety.EndToEnd.Tests.DashboardPages;

namespace EdgeSafety.EndToEnd.Tests;

/// <summary>
/// The chain a user runs, every part real: simulated devices on a serial line (socat pty pair), the edge agent
/// polling them with Modbus RTU, mosquitto, ingest, influxd, and the installer's live page of the dashboard in Chromium
/// (on the stack the browser tests share; the dashboard's API and live stream have their own tests).
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class WholeChainTests(DashboardStack dashboard) : IDisposable
{
    private static readonly TimeSpan Bound = RunningStack.Bound;
    private readonly HttpClient _http = new();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task A_value_set_in_the_simulated_meter_reaches_InfluxDB_and_the_installers_live_page()
    {
        await PinAsync("meter-302", 241.5);

        var influx = new InfluxClient(_http, new InfluxOptions { BaseAddress = dashboard.Stack.Influx.BaseAddress, Database = "edgesafety" });
        await Eventually.SucceedsAsync(async () =>
        {
            var series = await influx.QueryAsync("SELECT last(voltage_v) FROM meter WHERE device = 'meter-302'");
            series.Single().Values.Single()[1].GetDouble().Should().BeApproximately(241.5, 0.001);
        }, Bound, "the pinned voltage in InfluxDB");

        await Eventually.SucceedsAsync(async () =>
        {
            var meters = await influx.QueryAsync("SELECT count(seq) FROM meter GROUP BY device");
            var noise = await influx.QueryAsync("SELECT count(seq) FROM noise GROUP BY device");
            meters.Concat(noise).Select(s => s.Tags["device"]).Should().BeEquivalentTo("meter-301", "meter-302", "noise-courtyard");
        }, Bound, "readings of every simulated device in InfluxDB");

        await using var context = await dashboard.NewContextAsync();
        var scriptErrors = new List<string>();
        var page = await SignInAsync(context, "installer", dashboard.PasswordOf("installer"), scriptErrors);

        var expect = new LocatorAssertionsToHaveTextOptions { Timeout = (float)Bound.TotalMilliseconds };
        var voltage = page.Locator("[data-device='meter-302'] [data-value='voltage_v']");
        await Assertions.Expect(voltage).ToHaveTextAsync("241.5 V", expect);

        // Live: a new value arrives on the open page without a reload.
        await PinAsync("meter-302", 219.3);
        await Assertions.Expect(voltage).ToHaveTextAsync("219.3 V", expect);

        // The noise sensor's readings keep arriving: its last-reading time moves on while we watch.
        var seen = page.Locator("[data-device='noise-courtyard'] .seen");
        await Assertions.Expect(seen).Not.ToBeEmptyAsync();
        await Assertions.Expect(seen).Not.ToHaveTextAsync(await seen.TextContentAsync() ?? "", expect);
        await Assertions.Expect(page.Locator(".devices [data-device]")).ToHaveCountAsync(3);

        scriptErrors.Should().BeEmpty("the page runs under a strict content security policy without errors");
        dashboard.Stack.ShouldAllBeRunningWithoutErrors();
    }

    private async Task PinAsync(string device, double voltage)
    {
        using var response = await _http.PutAsJsonAsync(new Uri(dashboard.Stack.Simulator, $"devices/{device}/pinned"),
            new Dictionary<string, double> { ["voltage_v"] = voltage });
        response.EnsureSuccessStatusCode();
    }
}
