using System.Diagnostics;
using EdgeSafety.TestSupport;
using static FluentAssertions.FluentActions;

namespace EdgeSafety.Modbus.Tests;

/// <summary>Our master against our RTU server over a socat pty pair: two devices on one line.</summary>
public sealed class RtuServerTests
{
    [Fact]
    public async Task Master_reads_holding_and_input_registers_of_two_units_on_one_line()
    {
        using var first = Bank(holding: [101, 102, 103, 65535], input: [201, 202]);
        using var second = Bank(holding: [301, 302, 303, 304], input: [401, 0x8000]);
        await using var bus = await RtuBus.StartAsync((1, first), (7, second));
        using var client = bus.Connect(Timeouts.Response);

        Read(client, 1, RegisterTable.Holding, 0, 4).Should().Equal(101, 102, 103, 65535);
        Read(client, 1, RegisterTable.Input, 0, 2).Should().Equal(201, 202);
        Read(client, 7, RegisterTable.Holding, 1, 3).Should().Equal(302, 303, 304);
        Read(client, 7, RegisterTable.Input, 0, 2).Should().Equal(401, 0x8000);

        await Eventually.SucceedsAsync(() => Counters(bus.Server).Should().Be(new Counts(Served: 4, Rejected: 0, Ignored: 0)), Timeouts.Bound, "the counters");
    }

    [Fact]
    public async Task Master_writes_land_in_the_addressed_units_bank_only()
    {
        using var first = new RegisterBank(8, 0);
        using var second = new RegisterBank(8, 0);
        await using var bus = await RtuBus.StartAsync((1, first), (2, second));
        using var client = bus.Connect(Timeouts.Response);

        client.WriteRegister(2, 3, 4242);
        client.WriteRegisters(1, 5, [11, 12, 13]);

        Snapshot(first, RegisterTable.Holding, 8).Should().Equal(0, 0, 0, 0, 0, 11, 12, 13);
        Snapshot(second, RegisterTable.Holding, 8).Should().Equal(0, 0, 0, 4242, 0, 0, 0, 0);
        Read(client, 2, RegisterTable.Holding, 3, 1).Should().Equal(4242);
    }

    [Fact]
    public async Task A_unit_nobody_serves_times_out_after_the_response_timeout_and_the_others_are_still_served()
    {
        using var first = Bank(holding: [1, 2], input: []);
        using var second = Bank(holding: [3, 4], input: []);
        await using var bus = await RtuBus.StartAsync((1, first), (2, second));
        var responseTimeout = TimeSpan.FromMilliseconds(300);
        using var client = bus.Connect(responseTimeout);

        var clock = Stopwatch.StartNew();
        var failure = Invoking(() => Read(client, 9, RegisterTable.Holding, 0, 2))
            .Should().Throw<ModbusException>().Which;
        clock.Stop();

        failure.Kind.Should().Be(ModbusErrorKind.Timeout);
        failure.NativeError.Should().Be(110); // ETIMEDOUT, asm-generic/errno.h
        failure.Message.Should().Contain("unit 9").And.Contain(bus.Line.MasterPath);
        // It waits the configured timeout, and it does not hang: the upper bound is loose so a loaded machine passes.
        clock.Elapsed.Should().BeGreaterThanOrEqualTo(responseTimeout * 0.9).And.BeLessThan(responseTimeout + TimeSpan.FromSeconds(5));

        // The very next request, sent at once, is answered: the ignored one left nothing behind on the line.
        Read(client, 2, RegisterTable.Holding, 0, 2).Should().Equal(3, 4);
        Read(client, 1, RegisterTable.Holding, 0, 2).Should().Equal(1, 2);
        await Eventually.SucceedsAsync(() => Counters(bus.Server).Should().Be(new Counts(Served: 2, Rejected: 0, Ignored: 1)), Timeouts.Bound, "the counters");
    }

    [Fact]
    public async Task Garbage_on_the_line_is_counted_as_rejected_and_valid_requests_are_answered_afterwards()
    {
        using var bank = Bank(holding: [7, 8], input: []);
        await using var bus = await RtuBus.StartAsync((1, bank));
        using (var noise = new RawSerialPeer(bus.Line.MasterPath))
        {
            // A read request for unit 1 with its CRC bytes swapped (C4 0B is right), then line noise.
            await noise.WriteAsync(0x01, 0x03, 0x00, 0x00, 0x00, 0x02, 0x0B, 0xC4, 0xDE, 0xAD, 0xBE, 0xEF, 0x00);
            await Eventually.SucceedsAsync(
                () => bus.Server.RequestsRejected.Should().BeGreaterThanOrEqualTo(1),
                Timeouts.Bound, "the server to reject the garbage");
        }

        using var client = bus.Connect(Timeouts.Response);
        Read(client, 1, RegisterTable.Holding, 0, 2).Should().Equal(7, 8);
        await ShouldCountServedAsync(bus.Server, 1);
        bus.Running.IsCompleted.Should().BeFalse();
    }

    [Fact]
    public async Task Reply_frames_are_exact_to_the_byte()
    {
        using var first = Bank(holding: [0x0007, 0x0008], input: []);
        using var second = Bank(holding: [0x0102, 0x0304], input: []);
        await using var bus = await RtuBus.StartAsync((1, first), (2, second));
        using var master = new RawSerialPeer(bus.Line.MasterPath);

        // Read holding registers, unit 1, address 0, count 2; CRC-16/MODBUS low byte first.
        await master.WriteAsync(0x01, 0x03, 0x00, 0x00, 0x00, 0x02, 0xC4, 0x0B);
        (await master.ReadAsync(9, Timeouts.Bound)).Should().Equal(0x01, 0x03, 0x04, 0x00, 0x07, 0x00, 0x08, 0x4A, 0x34);

        // The same for unit 2: the reply carries unit id 2, though the server's libmodbus context is one for the line.
        await master.WriteAsync(0x02, 0x03, 0x00, 0x00, 0x00, 0x02, 0xC4, 0x38);
        (await master.ReadAsync(9, Timeouts.Bound)).Should().Equal(0x02, 0x03, 0x04, 0x01, 0x02, 0x03, 0x04, 0x68, 0x3C);
    }

    [Theory]
    [InlineData(new byte[] { 0x01, 0x07, 0x41, 0xE2 }, new byte[] { 0x01, 0x87, 0x01, 0x82, 0x30 })] // FC 0x07: libmodbus sends nothing itself
    [InlineData(new byte[] { 0x01, 0x2B, 0x0E, 0x01, 0x00, 0x70, 0x77 }, new byte[] { 0x01, 0xAB, 0x01, 0x9E, 0xF0 })] // FC 0x2B: length unknown, ends at silence
    public async Task Unsupported_function_codes_get_an_illegal_function_exception_reply(byte[] request, byte[] reply)
    {
        using var bank = Bank(holding: [1], input: []);
        await using var bus = await RtuBus.StartAsync((1, bank));
        using var master = new RawSerialPeer(bus.Line.MasterPath);

        await master.WriteAsync(request);

        (await master.ReadAsync(reply.Length, Timeouts.Bound)).Should().Equal(reply);
        await ShouldCountServedAsync(bus.Server, 1);
    }

    [Fact]
    public async Task Reading_outside_the_bank_is_a_slave_exception_with_code_2()
    {
        using var bank = new RegisterBank(10, 4);
        await using var bus = await RtuBus.StartAsync((3, bank));
        using var client = bus.Connect(Timeouts.Response);

        var failure = Invoking(() => Read(client, 3, RegisterTable.Holding, 8, 4))
            .Should().Throw<ModbusException>().Which;

        failure.Kind.Should().Be(ModbusErrorKind.SlaveException);
        failure.SlaveExceptionCode.Should().Be(2); // illegal data address
        failure.NativeError.Should().Be(112345678 + 2); // EMBXILADD = MODBUS_ENOBASE + 2, modbus.h
        failure.Message.Should().Contain("unit 3").And.Contain("address 8");
        Invoking(() => Read(client, 3, RegisterTable.Input, 4, 1)).Should().Throw<ModbusException>()
            .Which.SlaveExceptionCode.Should().Be(2);
    }

    [Fact]
    public async Task A_float32_written_as_two_registers_is_never_read_half_updated()
    {
        using var bank = new RegisterBank(2, 0);
        await using var bus = await RtuBus.StartAsync((1, bank));
        using var client = bus.Connect(Timeouts.Response);
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            for (ushort value = 0; !stop.IsCancellationRequested; value++)
            {
                bank.Write(RegisterTable.Holding, 0, [value, value]);
            }
        });

        for (var poll = 0; poll < 300; poll++)
        {
            var pair = Read(client, 1, RegisterTable.Holding, 0, 2);
            pair[1].Should().Be(pair[0], "a reply is built under the bank's lock");
        }

        await stop.CancelAsync();
        await writer.WaitAsync(Timeouts.Bound);
    }

    [Fact]
    public async Task A_broadcast_write_reaches_every_unit_and_gets_no_reply()
    {
        using var first = new RegisterBank(2, 0);
        using var second = new RegisterBank(2, 0);
        await using var bus = await RtuBus.StartAsync((1, first), (2, second));
        using var master = new RawSerialPeer(bus.Line.MasterPath);

        // Write single register, unit 0 (broadcast), address 1, value 5.
        await master.WriteAsync(0x00, 0x06, 0x00, 0x01, 0x00, 0x05, 0x19, 0xD8);

        await Eventually.SucceedsAsync(() => bus.Server.RequestsServed.Should().Be(1), Timeouts.Bound, "the broadcast");
        Snapshot(first, RegisterTable.Holding, 2).Should().Equal(0, 5);
        Snapshot(second, RegisterTable.Holding, 2).Should().Equal(0, 5);
    }

    [Fact]
    public async Task RunAsync_ends_as_cancelled_when_cancelled()
    {
        using var bank = new RegisterBank(1, 0);
        await using var bus = await RtuBus.StartAsync((1, bank));

        await bus.StopAsync();

        await bus.Running.Invoking(t => t.WaitAsync(Timeouts.Bound)).Should().ThrowAsync<OperationCanceledException>();
        Invoking(() => bus.Server.Add(2, bank)).Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public async Task RunAsync_faults_when_the_line_hangs_up()
    {
        using var bank = new RegisterBank(1, 0);
        await using var bus = await RtuBus.StartAsync((1, bank));

        bus.HangUp();

        (await bus.Running.Invoking(t => t.WaitAsync(Timeouts.Bound)).Should().ThrowAsync<ModbusException>())
            .Which.Kind.Should().Be(ModbusErrorKind.ConnectionFailed);
    }

    internal static RegisterBank Bank(ushort[] holding, ushort[] input)
    {
        var bank = new RegisterBank(holding.Length, input.Length);
        bank.Write(RegisterTable.Holding, 0, holding);
        bank.Write(RegisterTable.Input, 0, input);
        return bank;
    }

    internal static ushort[] Read(ModbusClient client, byte unitId, RegisterTable table, ushort address, int count)
    {
        var values = new ushort[count];
        client.ReadRegisters(unitId, table, address, values);
        return values;
    }

    /// <summary>The server counts a request once its reply is written, so a master can hold the reply a moment before the count moves.</summary>
    internal static Task ShouldCountServedAsync(ModbusRtuServer server, long expected) =>
        Eventually.SucceedsAsync(() => server.RequestsServed.Should().Be(expected), Timeouts.Bound, $"{expected} request(s) counted as served");

    private static Counts Counters(ModbusRtuServer server) =>
        new(server.RequestsServed, server.RequestsRejected, server.RequestsIgnored);

    internal static ushort[] Snapshot(RegisterBank bank, RegisterTable table, int count)
    {
        var values = new ushort[count];
        bank.Read(table, 0, values);
        return values;
    }

    private sealed record Counts(long Served, long Rejected, long Ignored);
}
