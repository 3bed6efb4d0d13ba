using System.Net.Http.Json;
using EdgeSafety.Influx;
using EdgeSafety.TestSupport;
using Microsoft.Playwright;

namespace EdgeSafety.EndToEnd.Tests;

/// <summary>
/// The chain a user runs, every part real: simulated devices on a serial line (socat pty pair), the edge agent
/// polling them with Modbus RTU, mosquitto, ingest, influxd, and the dashboard in Chromium.
/// </summary>
public sealed class WholeChainTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = RunningStack.Bound;
    private readonly HttpClient _http = new();
    private RunningStack _stack = null!;

    public async Task InitializeAsync() => _stack = await RunningStack.StartAsync(new StackOptions { Dashboard = true });

    public async Task DisposeAsync()
    {
        await _stack.DisposeAsync();
        _http.Dispose();
    }

    [Fact]
    public async Task A_value_set_in_the_simulated_meter_reaches_InfluxDB_and_the_live_page()
    {
        await PinAsync("meter-301", 241.5);

        var influx = new InfluxClient(_http, new InfluxOptions { BaseAddress = _stack.Influx.BaseAddress, Database = "edgesafety" });
        await Eventually.SucceedsAsync(async () =>
        {
            var series = await influx.QueryAsync("SELECT last(voltage_v) FROM meter WHERE device = 'meter-301'");
            series.Single().Values.Single()[1].GetDouble().Should().BeApproximately(241.5, 0.001);
        }, Bound, "the pinned voltage in InfluxDB");

        await Eventually.SucceedsAsync(async () =>
        {
            var meters = await influx.QueryAsync("SELECT count(seq) FROM meter GROUP BY device");
            var noise = await influx.QueryAsync("SELECT count(seq) FROM noise GROUP BY device");
            meters.Concat(noise).Select(s => s.Tags["device"]).Should().BeEquivalentTo("meter-301", "meter-302", "noise-courtyard");
        }, Bound, "readings of every simulated device in InfluxDB");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { Locale = "en-US" });
        var consoleErrors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                consoleErrors.Add(message.Text);
            }
        };
        await page.GotoAsync(_stack.Dashboard!.ToString());

        var expect = new LocatorAssertionsToHaveTextOptions { Timeout = (float)Bound.TotalMilliseconds };
        var voltage = page.Locator("[data-device='meter-301'] [data-value='voltage_v']");
        await Assertions.Expect(voltage).ToHaveTextAsync("241.5 V", expect);

        // Live: a new value arrives on the open page without a reload.
        await PinAsync("meter-301", 219.3);
        await Assertions.Expect(voltage).ToHaveTextAsync("219.3 V", expect);

        // The noise sensor's readings keep arriving: its sequence number moves on while we watch.
        var noiseSeq = page.Locator("[data-device='noise-courtyard'] .seq");
        var firstSeq = long.Parse(await noiseSeq.TextContentAsync() ?? "-1", System.Globalization.CultureInfo.InvariantCulture);
        await Assertions.Expect(noiseSeq).Not.ToHaveTextAsync(firstSeq.ToString(System.Globalization.CultureInfo.InvariantCulture), expect);
        await Assertions.Expect(page.Locator("[data-device]")).ToHaveCountAsync(3);

        consoleErrors.Should().BeEmpty("the page runs under a strict content security policy without errors");
        _stack.ShouldAllBeRunningWithoutErrors();
    }

    private async Task PinAsync(string device, double voltage)
    {
        using var response = await _http.PutAsJsonAsync(new Uri(_stack.Simulator, $"devices/{device}/pinned"),
            new Dictionary<string, double> { ["voltage_v"] = voltage });
        response.EnsureSuccessStatusCode();
    }
}
