using System.Net;
using System.Net.Http.Json;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Simulators.Tests;

/// <summary>The simulator as the demo runs it, read by Debian's mbpoll: a Modbus master we did not write.</summary>
public sealed class SimulatedBusTests : IAsyncLifetime
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
        _simulator = ServiceProcess.Start("EdgeSafety.Simulators", port, $"--Simulator:Lines:0:DevicePath={_line.SlavePath}");
        await _simulator.WaitForOutputAsync("Serving noise-courtyard", Bound);
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

    [Fact]
    public async Task The_control_API_refuses_unknown_devices_and_values_with_a_reason()
    {
        var unknownDevice = await PinAsync("meter-999", new() { ["voltage_v"] = 1 });
        var unknownValue = await PinAsync("meter-301", new() { ["db_a"] = 1 });

        unknownDevice.StatusCode.Should().Be(HttpStatusCode.NotFound);
        unknownValue.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await unknownValue.Content.ReadAsStringAsync()).Should().Contain("no value named db_a").And.Contain("voltage_v");
        _simulator.HasExited.Should().BeFalse();
    }

    private Task<HttpResponseMessage> PinAsync(string device, Dictionary<string, double> values) =>
        _http.PutAsJsonAsync(new Uri(_control, $"devices/{device}/pinned"), values);

    private async Task<string> MbpollAsync(params string[] arguments)
    {
        using var mbpoll = ExternalProcess.Start("mbpoll", "mbpoll",
            ["-m", "rtu", "-b", "9600", "-P", "none", "-1", .. arguments, _line.MasterPath]);
        var exitCode = await mbpoll.WaitForExitAsync(Bound);
        exitCode.Should().Be(0, mbpoll.Output);
        return mbpoll.Output;
    }
}
