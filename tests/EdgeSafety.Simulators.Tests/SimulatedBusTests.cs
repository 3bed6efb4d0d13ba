using System.Net;
using System.Net.Http.Json;

namespace EdgeSafety.Simulators.Tests;

/// <summary>Pinned values served through the device profiles, read by Debian's mbpoll.</summary>
public sealed class SimulatedBusTests : IAsyncLifetime
{
    private readonly HttpClient _http = new();
    private SimulatorOnLine _simulator = null!;

    public async Task InitializeAsync() => _simulator = await SimulatorOnLine.StartAsync();

    public Task DisposeAsync()
    {
        _simulator.Dispose();
        _http.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_pinned_noise_level_is_served_in_holding_register_0_in_tenths_of_a_dB()
    {
        (await PinAsync("noise-courtyard", new() { ["db_a"] = 63.4 })).StatusCode.Should().Be(HttpStatusCode.OK);

        // Unit 10, holding register 1 in mbpoll's 1-based numbering = address 0.
        var output = await MbpollAsync("-a", "10", "-r", "1", "-c", "1", "-t", "4");

        output.Should().Contain("[1]: \t634");
    }

    [Fact]
    public async Task A_pinned_voltage_is_served_as_a_float32_input_register_pair()
    {
        (await PinAsync("meter-302", new() { ["voltage_v"] = 230.0 })).StatusCode.Should().Be(HttpStatusCode.OK);

        // Unit 2, input registers 1-2 (address 0): IEEE 754 230.0 = 0x4366 0x0000, shown as decimal words.
        var output = await MbpollAsync("-a", "2", "-r", "1", "-c", "2", "-t", "3");

        output.Should().Contain("[1]: \t17254").And.Contain("[2]: \t0");
    }

    // mbpoll decodes the float32 itself (-B: high word first), an IEEE 754 reader we did not write.
    [Theory]
    [InlineData("meter-303", "voltage_v", 230.0, "-a 13 -r 1 -t 3:float -B", "[1]: \t230")]              // SDM120, 30001
    [InlineData("meter-303", "power_factor", -0.5, "-a 13 -r 31 -t 3:float -B", "[31]: \t-0.5")]       // SDM120, 30031
    [InlineData("meter-304", "thd_i_pct", 12.5, "-a 14 -r 241 -t 3:float -B", "[241]: \t12.5")]        // SDM630, 30241
    [InlineData("meter-304", "energy_kwh", 1536.25, "-a 14 -r 73 -t 3:float -B", "[73]: \t1536.25")]   // SDM630, 30073
    [InlineData("noise-stairwell", "db_a", 61.8, "-a 15 -0 -r 14 -t 4", "[14]: \t618")]              // holding 0x000E
    public async Task A_pinned_value_is_served_where_the_vendor_map_puts_it(string device, string name, double value, string arguments,
        string expected)
    {
        (await PinAsync(device, new() { [name] = value })).StatusCode.Should().Be(HttpStatusCode.OK);

        var output = await MbpollAsync(arguments.Split(' '));

        output.Should().Contain(expected);
    }

    [Fact]
    public async Task A_basic_meter_answers_one_read_across_its_unused_registers_and_serves_no_harmonics()
    {
        (await PinAsync("meter-303", new() { ["voltage_v"] = 230.0 })).StatusCode.Should().Be(HttpStatusCode.OK);

        // The SDM120 profile's single read, 0x0000..0x0049, registers between its values included.
        var block = await MbpollAsync("-a", "13", "-r", "1", "-c", "74", "-t", "3");
        // The household model knows harmonics; an SDM120 has no register for them.
        var harmonic = await PinAsync("meter-303", new() { ["h3_pct"] = 70 });
        var served = await _http.GetFromJsonAsync<Dictionary<string, Dictionary<string, double>>>(new Uri(_simulator.Control, "devices"));

        block.Should().Contain("[1]: \t17254").And.Contain("[74]: \t");
        harmonic.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        served!["meter-303"].Keys.Should().BeEquivalentTo(
            "voltage_v", "current_a", "power_w", "apparent_va", "reactive_var", "power_factor", "frequency_hz", "energy_kwh");
        served["meter-301"].Keys.Should().Contain(["h3_pct", "thd_i_pct"]);
    }

    [Fact]
    public async Task The_control_API_refuses_unknown_devices_and_values_with_a_reason()
    {
        var unknownDevice = await PinAsync("meter-999", new() { ["voltage_v"] = 1 });
        var unknownValue = await PinAsync("meter-301", new() { ["db_a"] = 1 });

        unknownDevice.StatusCode.Should().Be(HttpStatusCode.NotFound);
        unknownValue.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await unknownValue.Content.ReadAsStringAsync()).Should().Contain("no value named db_a").And.Contain("voltage_v");
        _simulator.Process.HasExited.Should().BeFalse();
    }

    private Task<HttpResponseMessage> PinAsync(string device, Dictionary<string, double> values) =>
        _http.PutAsJsonAsync(new Uri(_simulator.Control, $"devices/{device}/pinned"), values);

    private Task<string> MbpollAsync(params string[] arguments) => _simulator.MbpollAsync(arguments);
}
