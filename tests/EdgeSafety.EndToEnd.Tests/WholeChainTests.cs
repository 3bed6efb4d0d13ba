using System.Net.Http.Json;
using EdgeSafety.Influx;
using EdgeSafety.TestSupport;

namespace EdgeSafety.EndToEnd.Tests;

/// <summary>
/// The chain a user runs, every part real: simulated devices on a serial line (socat pty pair), the edge agent
/// polling them with Modbus RTU, mosquitto, ingest, influxd, and the dashboard's API and live stream (its pages have
/// their own browser tests).
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
    public async Task A_value_set_in_the_simulated_meter_reaches_InfluxDB_and_the_dashboard_live()
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

        // The dashboard (signed in, as a page is): the current value, then a new one pushed live without asking again.
        using var admin = await DashboardSession.SignedInAsync(_stack.Dashboard!.BaseAddress, "admin", _stack.Dashboard.Passwords["admin"]);
        await Eventually.SucceedsAsync(async () =>
        {
            var devices = await admin.GetJsonAsync("api/devices");
            devices.EnumerateArray().Single(d => d.GetProperty("device").GetString() == "meter-301")
                .GetProperty("values").GetProperty("voltage_v").GetDouble().Should().BeApproximately(241.5, 0.001);
            devices.EnumerateArray().Select(d => d.GetProperty("device").GetString()).Should().BeEquivalentTo("meter-301", "meter-302", "noise-courtyard");
        }, Bound, "the pinned voltage on the dashboard");
        await using var live = await DashboardLiveStream.OpenAsync(admin);
        await PinAsync("meter-301", 219.3);
        await live.WaitForAsync("reading", r => r.GetProperty("device").GetString() == "meter-301"
            && Math.Abs(r.GetProperty("values").GetProperty("voltage_v").GetDouble() - 219.3) < 0.001, "the new voltage on the dashboard's live stream");
        // The noise sensor's readings keep arriving while we watch.
        var first = await live.WaitForAsync("reading", r => r.GetProperty("device").GetString() == "noise-courtyard", "a noise reading on the live stream");
        await live.WaitForAsync("reading", r => r.GetProperty("device").GetString() == "noise-courtyard"
            && r.GetProperty("seq").GetInt64() > first.GetProperty("seq").GetInt64(), "a later noise reading on the live stream");

        _stack.ShouldAllBeRunningWithoutErrors();
    }

    private async Task PinAsync(string device, double voltage)
    {
        using var response = await _http.PutAsJsonAsync(new Uri(_stack.Simulator, $"devices/{device}/pinned"),
            new Dictionary<string, double> { ["voltage_v"] = voltage });
        response.EnsureSuccessStatusCode();
    }
}
