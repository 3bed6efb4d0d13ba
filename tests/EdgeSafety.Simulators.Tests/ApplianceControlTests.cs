using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Simulators.Tests;

/// <summary>
/// Appliances plugged into a simulated household through the control API, seen the way the agent sees them:
/// read over Modbus RTU on a serial line by Debian's mbpoll.
/// </summary>
public sealed partial class ApplianceControlTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http = new();
    private SerialLinePair _line = null!;
    private ExternalProcess _simulator = null!;
    private Uri _control = null!;

    public async Task InitializeAsync()
    {
        _line = await SerialLinePair.StartAsync();
        var port = LoopbackPort.Next();
        _control = new Uri($"http://127.0.0.1:{port}/");

        // meter-301 (harmonic meter, unit 1) and meter-303 (SDM120, unit 13) with their households' own day off:
        // only what the test plugs in draws current.
        _simulator = ServiceProcess.Start("EdgeSafety.Simulators", port,
            $"--Simulator:Lines:0:DevicePath={_line.SlavePath}",
            "--Simulator:Devices:0:Household:Schedule=false",
            "--Simulator:Devices:3:Household:Schedule=false");
        await _simulator.WaitForOutputAsync("Serving noise-stairwell", Bound);
        await ServiceProcess.WaitUntilHealthyAsync(_simulator, port, Bound);
    }

    public Task DisposeAsync()
    {
        _simulator.Dispose();
        _line.Dispose();
        _http.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_plugged_in_lead_acid_charger_raises_power_and_h3_on_the_harmonic_meter_until_unplugged()
    {
        // Harmonic meter, unit 1: power_w at input register address 12, h3_pct at 258 (mbpoll counts from 1).
        (await ReadFloatAsync(1, 12)).Should().BeLessThan(1, "nothing is plugged in");

        var plugged = await _http.PutAsync(new Uri(_control, "devices/meter-301/appliances/ebike-lead-acid-48v?stateOfCharge=0.3"), null);
        plugged.StatusCode.Should().Be(HttpStatusCode.OK);
        (await plugged.Content.ReadAsStringAsync()).Should().Contain("\"stage\":\"bulk\"");

        await Eventually.SucceedsAsync(async () => (await ReadFloatAsync(1, 12)).Should().BeInRange(80, 300), Bound, "the charger's power");
        (await ReadFloatAsync(1, 258)).Should().BeGreaterThan(60, "a charger without PFC draws a strong third harmonic");
        (await ReadFloatAsync(1, 30)).Should().BeInRange(0.45, 0.75, "and has a low power factor");
        var listed = await _http.GetFromJsonAsync<JsonElement>(new Uri(_control, "devices/meter-301/appliances"));
        listed.GetProperty("plugged").EnumerateArray().Select(a => a.GetProperty("appliance").GetString()).Should().Equal("ebike-lead-acid-48v");

        (await _http.DeleteAsync(new Uri(_control, "devices/meter-301/appliances/ebike-lead-acid-48v"))).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await Eventually.SucceedsAsync(async () => (await ReadFloatAsync(1, 12)).Should().BeLessThan(1), Bound, "the power to fall when unplugged");
    }

    [Fact]
    public async Task A_charger_with_PFC_looks_like_a_resistive_load_to_a_basic_meter()
    {
        (await _http.PutAsync(new Uri(_control, "devices/meter-303/appliances/ebike-lithium-60v-pfc?stateOfCharge=0.2"), null))
            .StatusCode.Should().Be(HttpStatusCode.OK);

        // SDM120, unit 13: power at 0x000C, power factor at 0x001E.
        await Eventually.SucceedsAsync(async () => (await ReadFloatAsync(13, 12)).Should().BeGreaterThan(150), Bound, "the charger's power");
        (await ReadFloatAsync(13, 30)).Should().BeGreaterThan(0.95);
    }

    [Fact]
    public async Task The_appliance_API_refuses_unknown_appliances_devices_without_a_household_and_nothing_to_unplug()
    {
        var unknown = await _http.PutAsync(new Uri(_control, "devices/meter-301/appliances/toaster"), null);
        var noise = await _http.PutAsync(new Uri(_control, "devices/noise-courtyard/appliances/kettle"), null);
        var notCharger = await _http.PutAsync(new Uri(_control, "devices/meter-301/appliances/kettle?stateOfCharge=0.5"), null);
        var notPlugged = await _http.DeleteAsync(new Uri(_control, "devices/meter-301/appliances/kettle"));
        var noDevice = await _http.GetAsync(new Uri(_control, "devices/meter-999/appliances"));

        unknown.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await unknown.Content.ReadAsStringAsync()).Should().Contain("ebike-lead-acid-48v");
        noise.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        notCharger.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        notPlugged.StatusCode.Should().Be(HttpStatusCode.NotFound);
        noDevice.StatusCode.Should().Be(HttpStatusCode.NotFound);
        _simulator.HasExited.Should().BeFalse();
    }

    /// <summary>One float32 input register pair (high word first) read by mbpoll, which decodes it itself.</summary>
    private async Task<double> ReadFloatAsync(int unit, int address)
    {
        using var mbpoll = ExternalProcess.Start("mbpoll", "mbpoll",
            ["-m", "rtu", "-b", "9600", "-P", "none", "-1", "-a", $"{unit}", "-r", $"{address + 1}", "-t", "3:float", "-B", _line.MasterPath]);
        (await mbpoll.WaitForExitAsync(Bound)).Should().Be(0, mbpoll.Output);
        var match = FloatValue().Match(mbpoll.Output);
        match.Success.Should().BeTrue(mbpoll.Output);
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"\[\d+\]:\s+(-?[0-9.eE+-]+)")]
    private static partial Regex FloatValue();
}
