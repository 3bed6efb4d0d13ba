using EdgeSafety.TestSupport;
using static FluentAssertions.FluentActions;

namespace EdgeSafety.Modbus.Tests;

/// <summary>Our master against a device the test plays byte by byte on the other end of a pty pair.</summary>
public sealed class RtuClientTests
{
    [Fact]
    public async Task The_request_is_exact_to_the_byte_and_a_hand_built_reply_is_decoded()
    {
        using var line = await SerialLinePair.StartAsync();
        using var device = new RawSerialPeer(line.SlavePath);
        using var client = ModbusClient.ConnectRtu(new SerialLineSettings(line.MasterPath), Timeouts.Response);
        var values = new ushort[2];

        var reading = Task.Run(() => client.ReadRegisters(1, RegisterTable.Input, 0, values));

        // Unit 1, FC 0x04 read input registers, address 0x0000, count 2, CRC 0xCB71 sent low byte first.
        (await device.ReadAsync(8, Timeouts.Bound)).Should().Equal(0x01, 0x04, 0x00, 0x00, 0x00, 0x02, 0x71, 0xCB);
        // Unit 1, FC 0x04, 4 bytes: 0x000A, 0x0102, CRC 0xD75B.
        await device.WriteAsync(0x01, 0x04, 0x04, 0x00, 0x0A, 0x01, 0x02, 0x5B, 0xD7);
        await reading.WaitAsync(Timeouts.Bound);

        values.Should().Equal(0x000A, 0x0102);
    }

    [Fact]
    public async Task Write_requests_are_exact_to_the_byte()
    {
        using var line = await SerialLinePair.StartAsync();
        using var device = new RawSerialPeer(line.SlavePath);
        using var client = ModbusClient.ConnectRtu(new SerialLineSettings(line.MasterPath), Timeouts.Response);

        var writing = Task.Run(() => client.WriteRegisters(17, 0x0102, [0x000A, 0xFFFF]));

        // Unit 17, FC 0x10, address 0x0102, count 2, 4 bytes, 0x000A 0xFFFF, CRC.
        (await device.ReadAsync(13, Timeouts.Bound)).Should().Equal(
            0x11, 0x10, 0x01, 0x02, 0x00, 0x02, 0x04, 0x00, 0x0A, 0xFF, 0xFF, 0x0A, 0x94);
        // Echo of address and count.
        await device.WriteAsync(0x11, 0x10, 0x01, 0x02, 0x00, 0x02, 0xE3, 0x64);
        await writing.WaitAsync(Timeouts.Bound);
    }

    [Theory]
    [InlineData(new byte[] { 0x01, 0x03, 0x04, 0xAB, 0xCD, 0x12, 0x34, 0x46, 0x9E }, ModbusErrorKind.BadCrc, 112345690)] // EMBBADCRC; right CRC is 46 9F
    [InlineData(new byte[] { 0x01, 0x83, 0x02, 0xC0, 0xF1 }, ModbusErrorKind.SlaveException, 112345680)] // EMBXILADD
    [InlineData(new byte[] { 0x01, 0x03, 0x02, 0x00, 0x07, 0xF9, 0x86 }, ModbusErrorKind.InvalidResponse, 112345691)] // one register of two: EMBBADDATA
    public async Task A_faulty_reply_is_a_typed_error(byte[] reply, ModbusErrorKind kind, int nativeError)
    {
        using var line = await SerialLinePair.StartAsync();
        using var device = new RawSerialPeer(line.SlavePath);
        // After a reply that does not fit, the master waits one response timeout and flushes, so a shorter timeout makes
        // a faster test; but this test's reply is written from a thread-pool continuation, which a loaded 2-core CI
        // machine has been seen to delay past 1 s (a false Timeout). 3 s keeps it honest under load.
        using var client = ModbusClient.ConnectRtu(new SerialLineSettings(line.MasterPath), TimeSpan.FromSeconds(3));

        var reading = Task.Run(() => RtuServerTests.Read(client, 1, RegisterTable.Holding, 0, 2));
        (await device.ReadAsync(8, Timeouts.Bound)).Should().Equal(0x01, 0x03, 0x00, 0x00, 0x00, 0x02, 0xC4, 0x0B);
        await device.WriteAsync(reply);

        var failure = (await reading.Invoking(t => t.WaitAsync(Timeouts.Bound)).Should().ThrowAsync<ModbusException>()).Which;
        failure.Kind.Should().Be(kind);
        failure.NativeError.Should().Be(nativeError);
        failure.Message.Should().Contain(line.MasterPath).And.Contain("unit 1");
    }

    [Fact]
    public void Opening_a_device_that_does_not_exist_is_a_connection_failure()
    {
        using var directory = new TemporaryDirectory("modbus");

        var failure = Invoking(() => ModbusClient.ConnectRtu(new SerialLineSettings(directory.Combine("ttyNone")), Timeouts.Response))
            .Should().Throw<ModbusException>().Which;

        failure.Kind.Should().Be(ModbusErrorKind.ConnectionFailed);
        failure.NativeError.Should().Be(2); // ENOENT
        failure.Message.Should().Contain("ttyNone");
    }

    [Fact]
    public async Task Arguments_outside_what_Modbus_allows_are_refused_before_anything_is_sent()
    {
        using var line = await SerialLinePair.StartAsync();
        using var client = ModbusClient.ConnectRtu(new SerialLineSettings(line.MasterPath), Timeouts.Response);

        Invoking(() => client.ReadRegisters(1, RegisterTable.Holding, 0, new ushort[126])).Should().Throw<ArgumentOutOfRangeException>();
        Invoking(() => client.ReadRegisters(1, RegisterTable.Holding, 0, Span<ushort>.Empty)).Should().Throw<ArgumentOutOfRangeException>();
        Invoking(() => client.WriteRegisters(1, 0, new ushort[124])).Should().Throw<ArgumentOutOfRangeException>();
        Invoking(() => client.ReadRegisters(1, RegisterTable.Holding, 65535, new ushort[2])).Should().Throw<ArgumentOutOfRangeException>();
        Invoking(() => client.WriteRegister(248, 0, 1)).Should().Throw<ArgumentOutOfRangeException>(); // RTU unit ids end at 247
        Invoking(() => ModbusClient.ConnectRtu(new SerialLineSettings(line.MasterPath), TimeSpan.Zero)).Should().Throw<ArgumentOutOfRangeException>();
        Invoking(() => ModbusClient.ConnectRtu(new SerialLineSettings(line.MasterPath, DataBits: 9), Timeouts.Response)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
