using System.Diagnostics;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Modbus.Tests;

/// <summary>
/// The RTU server holding its replies for their time on a real line (until the reply's last byte would have arrived),
/// and our master keeping the silence after each. A pty carries bytes at memory speed, so only a lower bound is certain
/// here: the replies may come later on a busy machine, never sooner.
/// </summary>
public sealed class WireTimeTests
{
    private static readonly RtuReplyTiming WireTime = new(SimulateWireTime: true, TimeSpan.Zero);

    // A read of 40 registers: an 8-byte request and a 5 + 80 = 85-byte reply, 93 characters, and the two frames' silences
    // (3.5 characters each up to 19200 baud, 1.75 ms above). At 9600 8N1: (93 + 7) characters x 10 bits / 9600 = 104.167 ms.
    [Theory]
    [InlineData(9600, SerialParity.None, 1, 104_167)]  // 100 characters x 10 bits / 9600
    [InlineData(9600, SerialParity.Even, 1, 114_583)]  // 100 characters x 11 bits (start, 8 data, parity, stop) / 9600
    [InlineData(19200, SerialParity.None, 2, 57_292)]  // 100 characters x 11 bits (start, 8 data, 2 stop) / 19200
    [InlineData(115200, SerialParity.None, 1, 11_573)] // 93 characters x 10 bits / 115200 = 8.073 ms, + 2 x 1.75 ms
    public async Task Reads_of_40_registers_take_at_least_their_time_on_the_wire(int baudRate, SerialParity parity, int stopBits,
        int microsecondsPerRead)
    {
        const int Reads = 10;
        using var bank = new RegisterBank(0, 40);
        await using var bus = await RtuBus.StartAsync(
            line => line with { BaudRate = baudRate, Parity = parity, StopBits = stopBits }, WireTime, (1, bank));
        using var client = bus.Connect(Timeouts.Response);
        var registers = new ushort[40];

        var clock = Stopwatch.StartNew();
        for (var read = 0; read < Reads; read++)
        {
            client.ReadRegisters(1, RegisterTable.Input, 0, registers);
        }

        // The first request follows no transaction, so it need not wait out a silence before it.
        var silence = RtuWireTime.InterFrameSilence(new SerialLineSettings("line", baudRate, parity, 8, stopBits));
        clock.Elapsed.Should().BeGreaterThanOrEqualTo((Reads * TimeSpan.FromMicroseconds(microsecondsPerRead)) - silence);
    }

    [Fact]
    public async Task A_response_delay_holds_every_reply_without_wire_time()
    {
        const int Reads = 5;
        var delay = TimeSpan.FromMilliseconds(60);
        using var bank = new RegisterBank(2, 0);
        await using var bus = await RtuBus.StartAsync(line => line, new RtuReplyTiming(SimulateWireTime: false, delay), (1, bank));
        using var client = bus.Connect(Timeouts.Response);

        var clock = Stopwatch.StartNew();
        for (var read = 0; read < Reads; read++)
        {
            RtuServerTests.Read(client, 1, RegisterTable.Holding, 0, 2);
        }

        clock.Elapsed.Should().BeGreaterThanOrEqualTo(Reads * delay);
    }

    // Each reply as the unheld server sends it (RtuServerTests), now no sooner than (request + 3.5 + reply) characters
    // x 10 bits / 9600: the request, the silence that ends it, and the reply.
    [Theory]
    [InlineData(new byte[] { 0x01, 0x03, 0x00, 0x00, 0x00, 0x02, 0xC4, 0x0B },
        new byte[] { 0x01, 0x03, 0x04, 0x00, 0x07, 0x00, 0x08, 0x4A, 0x34 }, 21_354)] // read holding 0..1: 20.5 characters
    [InlineData(new byte[] { 0x01, 0x04, 0x00, 0x00, 0x00, 0x01, 0x31, 0xCA },
        new byte[] { 0x01, 0x84, 0x02, 0xC2, 0xC1 }, 17_187)] // no input registers: exception 2, 16.5 characters
    [InlineData(new byte[] { 0x01, 0x07, 0x41, 0xE2 }, new byte[] { 0x01, 0x87, 0x01, 0x82, 0x30 }, 13_020)] // FC 0x07, answered apart: 12.5
    public async Task A_held_reply_is_exact_to_the_byte_and_not_early(byte[] request, byte[] reply, int microseconds)
    {
        using var first = RtuServerTests.Bank(holding: [0x0007, 0x0008], input: []);
        using var second = RtuServerTests.Bank(holding: [1], input: []);
        await using var bus = await RtuBus.StartAsync(line => line, WireTime, (1, first), (2, second));
        using var master = new RawSerialPeer(bus.Line.MasterPath);

        // First a request for unit 3, which nobody here serves: it leaves nothing behind for the next reply.
        await master.WriteAsync(0x03, 0x03, 0x00, 0x00, 0x00, 0x02, 0xC5, 0xE9);
        await Eventually.SucceedsAsync(() => bus.Server.RequestsIgnored.Should().Be(1), Timeouts.Bound, "the request for unit 3");

        var clock = Stopwatch.StartNew();
        await master.WriteAsync(request);
        var received = await master.ReadAsync(reply.Length, Timeouts.Bound);
        clock.Stop();

        received.Should().Equal(reply);
        clock.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMicroseconds(microseconds));
    }

    [Fact]
    public void A_negative_response_delay_is_refused_before_the_line_is_opened() =>
        FluentActions.Invoking(() => ModbusRtuServer.Open(new SerialLineSettings("/nonexistent"), new RtuReplyTiming(false, TimeSpan.FromMilliseconds(-1))))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("ResponseDelay");

    [Fact]
    public async Task Stopping_a_server_that_holds_a_reply_sends_nothing_and_ends_promptly()
    {
        using var bank = new RegisterBank(0, 125);
        // At 1200 baud a read of 125 registers would be held for 263 + 3.5 characters x 10 bits / 1200 = 2.22 s.
        await using var bus = await RtuBus.StartAsync(line => line with { BaudRate = 1200 }, WireTime, (1, bank));
        using var master = new RawSerialPeer(bus.Line.MasterPath);
        await master.WriteAsync(0x01, 0x04, 0x00, 0x00, 0x00, 0x7D, 0x30, 0x2B);
        await Eventually.SucceedsAsync(() => bus.Server.RequestsServed.Should().Be(1), Timeouts.Bound, "the reply to be built");

        var clock = Stopwatch.StartNew();
        await bus.StopAsync();
        await bus.Running.Invoking(t => t.WaitAsync(Timeouts.Bound)).Should().ThrowAsync<OperationCanceledException>();

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2), "the server stops before the held reply was due");
        // Past the time the reply was due, the line is still silent.
        await master.Invoking(m => m.ReadAsync(1, TimeSpan.FromSeconds(3))).Should().ThrowAsync<TimeoutException>();
    }
}
