using EdgeSafety.Modbus;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Devices.Tests;

/// <summary>
/// Shipped profiles read over a pty from a device played byte by byte: the request our master sends is compared with
/// the datasheet's frame, and a reply written as a datasheet prints it (CRC-16/MODBUS low byte first; libmodbus
/// refuses a wrong one) must decode through the profile to the engineering value.
/// </summary>
public sealed class DatasheetFrameTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private SerialLinePair _line = null!;
    private RawSerialPeer _device = null!;
    private ModbusClient _master = null!;

    public async Task InitializeAsync()
    {
        _line = await SerialLinePair.StartAsync();
        _device = new RawSerialPeer(_line.SlavePath);
        _master = ModbusClient.ConnectRtu(new SerialLineSettings(_line.MasterPath), TimeSpan.FromSeconds(2));
    }

    public Task DisposeAsync()
    {
        _master.Dispose();
        _device.Dispose();
        _line.Dispose();
        return Task.CompletedTask;
    }

    // Eastron's protocol documents: read input registers (04) of unit 1, register number - 30001 = address.
    [Theory]
    [InlineData("eastron-sdm120", "voltage_v", 230.0, // 30001-30002; 230.0 V is IEEE 754 0x43660000
        new byte[] { 0x01, 0x04, 0x00, 0x00, 0x00, 0x02, 0x71, 0xCB }, new byte[] { 0x01, 0x04, 0x04, 0x43, 0x66, 0x00, 0x00, 0x0E, 0x1F })]
    [InlineData("eastron-sdm630", "thd_i_pct", 20.5, // 30241-30242, phase 1 current THD; 20.5 % is 0x41A40000
        new byte[] { 0x01, 0x04, 0x00, 0xF0, 0x00, 0x02, 0x71, 0xF8 }, new byte[] { 0x01, 0x04, 0x04, 0x41, 0xA4, 0x00, 0x00, 0xAE, 0x5B })]
    public async Task A_float32_in_a_datasheet_reply_reads_as_its_value(string model, string name, double expected, byte[] request, byte[] reply)
    {
        var values = await ReadAsync(model, [name], request, reply);

        values[name].Should().Be(expected);
    }

    [Fact]
    public async Task Reverse_current_reads_as_negative_reactive_power_and_power_factor()
    {
        // Registers 0x0018..0x001F: var -120.5 (0xC2F10000), two unused float32 slots, power factor -0.5 (0xBF000000).
        var values = await ReadAsync("eastron-sdm120", ["reactive_var", "power_factor"],
            request: [0x01, 0x04, 0x00, 0x18, 0x00, 0x08, 0x71, 0xCB],
            reply:
            [
                0x01, 0x04, 0x10, 0xC2, 0xF1, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                0xBF, 0x00, 0x00, 0x00, 0x90, 0x8D,
            ]);

        values.Should().Equal(new Dictionary<string, double> { ["reactive_var"] = -120.5, ["power_factor"] = -0.5 });
    }

    [Theory]
    [InlineData("noise-sensor-hr0", new byte[] { 0x01, 0x03, 0x00, 0x00, 0x00, 0x01, 0x84, 0x0A })]
    [InlineData("noise-sensor-hr14", new byte[] { 0x01, 0x03, 0x00, 0x0E, 0x00, 0x01, 0xE5, 0xC9 })]
    public async Task A_noise_level_of_618_tenths_reads_as_61_8_dB(string model, byte[] request)
    {
        // Read holding register (03) at the profile's address; the sensor answers 0x026A = 618 tenths of a dB.
        var values = await ReadAsync(model, ["db_a"], request, reply: [0x01, 0x03, 0x02, 0x02, 0x6A, 0x39, 0x0B]);

        values["db_a"].Should().BeApproximately(61.8, 1e-9);
    }

    /// <summary>
    /// Reads the named values of a shipped profile in one transaction from unit 1, the device side checking the request
    /// and answering with the given reply, and decodes them through the profile.
    /// </summary>
    private async Task<Dictionary<string, double>> ReadAsync(string model, string[] names, byte[] request, byte[] reply)
    {
        var profile = DeviceProfileLoader.LoadFile(RepositoryPaths.File("edge-agent", "profiles", model + ".json"));
        var wanted = profile.Values.Where(v => names.Contains(v.Name)).ToList();
        var block = new RegisterBlock(wanted[0].Table, wanted[0].Address,
            wanted.Max(v => v.Address + v.RegisterCount) - wanted[0].Address, wanted);
        var registers = new ushort[block.Count];

        var reading = Task.Run(() => _master.ReadRegisters(1, block.Table, block.Address, registers));
        (await _device.ReadAsync(request.Length, Bound)).Should().Equal(request);
        await _device.WriteAsync(reply);
        await reading.WaitAsync(Bound);

        var values = new Dictionary<string, double>();
        ReadPlan.Decode(block, registers, values);
        return values;
    }
}
