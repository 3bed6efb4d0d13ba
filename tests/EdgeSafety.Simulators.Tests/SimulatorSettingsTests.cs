using System.Diagnostics;
using EdgeSafety.Modbus;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Simulators.Tests;

/// <summary>The simulator started with settings changed from the shipped ones, as an operator would change them.</summary>
public sealed class SimulatorSettingsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_model_that_cannot_drive_its_profile_stops_the_simulator_at_start_naming_the_device()
    {
        using var line = await SerialLinePair.StartAsync();
        // Device 3 is meter-303, an SDM120: a noise model has no values for it.
        using var simulator = ServiceProcess.Start("EdgeSafety.Simulators", LoopbackPort.Next(),
            $"--Simulator:Lines:0:DevicePath={line.SlavePath}", "--Simulator:Devices:3:Model=noise");

        var exitCode = await simulator.WaitForExitAsync(Bound);

        exitCode.Should().Be(2, simulator.Output);
        simulator.Output.Should().Contain("Simulator.Devices 'meter-303': model 'noise' cannot drive profile 'eastron-sdm120', a meter profile");
    }

    [Fact]
    public async Task With_wire_time_and_a_response_delay_on_its_line_every_read_takes_at_least_its_time_on_a_real_line()
    {
        const int Reads = 5;
        using var line = await SerialLinePair.StartAsync();
        var port = LoopbackPort.Next();
        using var simulator = ServiceProcess.Start("EdgeSafety.Simulators", port, $"--Simulator:Lines:0:DevicePath={line.SlavePath}",
            "--Simulator:Lines:0:SimulateWireTime=true", "--Simulator:Lines:0:ResponseDelayMilliseconds=20");
        await simulator.WaitForOutputAsync("wire time simulated: True, response delay 20 ms", Bound);
        await ServiceProcess.WaitUntilHealthyAsync(simulator, port, Bound);
        using var master = ModbusClient.ConnectRtu(new SerialLineSettings(line.MasterPath), TimeSpan.FromSeconds(2));
        var registers = new ushort[74];

        var clock = Stopwatch.StartNew();
        for (var read = 0; read < Reads; read++)
        {
            master.ReadRegisters(13, RegisterTable.Input, 0, registers);
        }

        // The SDM120's read of 74 registers: an 8-byte request, a 5 + 148 = 153-byte reply and two 3.5-character silences,
        // 168 characters x 10 bits / 9600 baud = 175 ms, and the device's 20 ms.
        clock.Elapsed.Should().BeGreaterThanOrEqualTo(Reads * TimeSpan.FromMilliseconds(175 + 20));
    }
}
