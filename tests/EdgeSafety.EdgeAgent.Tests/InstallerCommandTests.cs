using System.Net.Http.Json;
using EdgeSafety.TestSupport;

namespace EdgeSafety.EdgeAgent.Tests;

/// <summary>The installer's commands (scan, read, check, validate) against the simulated bus and a real mosquitto.</summary>
public sealed class InstallerCommandTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private SerialLinePair _line = null!;
    private MosquittoBroker _broker = null!;
    private ExternalProcess _simulator = null!;
    private int _simulatorPort;

    public async Task InitializeAsync()
    {
        _line = await SerialLinePair.StartAsync();
        _broker = await MosquittoBroker.StartAsync();
        _simulatorPort = LoopbackPort.Next();
        _simulator = ServiceProcess.Start("EdgeSafety.Simulators", _simulatorPort, $"--Simulator:Lines:0:DevicePath={_line.SlavePath}");
        await _simulator.WaitForOutputAsync("Serving noise-courtyard", Bound);
        await ServiceProcess.WaitUntilHealthyAsync(_simulator, _simulatorPort, Bound);
    }

    public async Task DisposeAsync()
    {
        _simulator.Dispose();
        await _broker.DisposeAsync();
        _line.Dispose();
    }

    [Fact]
    public async Task Scan_lists_the_unit_ids_that_answer()
    {
        var (exitCode, output) = await RunAsync("scan", "--port", _line.MasterPath, "--baud", "9600", "--units", "1-12", "--timeout-ms", "250");

        exitCode.Should().Be(0, output);
        var found = output.Split('\n').Where(l => l.StartsWith("9600", StringComparison.Ordinal)).Select(l => l.Split("  ", StringSplitOptions.RemoveEmptyEntries)[1].Trim());
        found.Should().Equal("1", "2", "10");
    }

    [Fact]
    public async Task Read_shows_a_devices_values_through_its_profile()
    {
        using (var http = new HttpClient())
        {
            (await http.PutAsJsonAsync(new Uri($"http://127.0.0.1:{_simulatorPort}/devices/meter-302/pinned"),
                new Dictionary<string, double> { ["voltage_v"] = 228.25 })).EnsureSuccessStatusCode();
        }

        var (exitCode, output) = await RunAsync("read", "meter-302", "--once", $"--Agent:Buses:0:DevicePath={_line.MasterPath}");

        exitCode.Should().Be(0, output);
        output.Should().MatchRegex(@"voltage_v\s+228\.25\s+V");
        output.Should().Contain("h31_pct");
    }

    [Fact]
    public async Task Check_passes_when_every_device_and_the_broker_answer()
    {
        var (exitCode, output) = await RunAsync("check", $"--Agent:Buses:0:DevicePath={_line.MasterPath}", $"--Mqtt:Port={_broker.Port}");

        exitCode.Should().Be(0, output);
        output.Should().MatchRegex(@"meter-301\s+bus1 unit 1\s+PASS").And.MatchRegex(@"broker\s+127\.0\.0\.1:\d+\s+PASS\s+test message came back");
        output.Should().EndWith("RESULT: PASS\n");
    }

    [Fact]
    public async Task Check_fails_and_names_a_device_that_does_not_answer()
    {
        var (exitCode, output) = await RunAsync("check", $"--Agent:Buses:0:DevicePath={_line.MasterPath}", $"--Mqtt:Port={_broker.Port}",
            "--Agent:Devices:3:Id=meter-missing", "--Agent:Devices:3:Bus=bus1", "--Agent:Devices:3:UnitId=5", "--Agent:Devices:3:Profile=harmonic-meter");

        exitCode.Should().Be(1, output);
        output.Should().MatchRegex(@"meter-missing\s+bus1 unit 5\s+FAIL\s+.*timed out").And.Contain("RESULT: FAIL (1 of 5 checks failed)");
    }

    [Fact]
    public async Task Validate_accepts_the_shipped_configuration_and_names_every_bad_setting_the_store_folder_included()
    {
        using var store = new TemporaryDirectory("validate-store");
        var good = await RunAsync("validate", $"--Store:Directory={store.Path}");
        var bad = await RunAsync("validate", "--Agent:Devices:2:Profile=sdm999", "--Store:Directory=/proc/edgesafety-store");

        good.ExitCode.Should().Be(0, good.Output);
        good.Output.Should().Contain($"Configuration valid: site haizhu-demo, gateway gw-01, 1 serial bus(es), 0 TCP endpoint(s), 3 device(s); store in {store.Path}.");
        bad.ExitCode.Should().Be(2, bad.Output);
        bad.Output.Should().Contain("Agent.Devices[2].Profile: no profile 'sdm999'")
            .And.Contain("Store.Directory: cannot write to /proc/edgesafety-store");
        bad.Output.Should().NotContain("Unhandled exception");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        var directory = ServiceProcess.OutputDirectory("EdgeSafety.EdgeAgent");
        using var command = ExternalProcess.Start("edge agent command", "dotnet", [Path.Combine(directory, "EdgeSafety.EdgeAgent.dll"), .. arguments]);
        var exitCode = await command.WaitForExitAsync(Bound);
        return (exitCode, command.Output.Replace("\r", "", StringComparison.Ordinal) + "\n");
    }
}
