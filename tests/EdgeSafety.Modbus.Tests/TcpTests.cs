using EdgeSafety.TestSupport;
using static FluentAssertions.FluentActions;

namespace EdgeSafety.Modbus.Tests;

/// <summary>Our TCP master against our TCP server on loopback.</summary>
public sealed class TcpTests
{
    [Fact]
    public async Task Master_reads_and_writes_two_units_over_tcp()
    {
        using var first = RtuServerTests.Bank(holding: [10, 20, 30], input: [40, 50]);
        using var second = RtuServerTests.Bank(holding: [60, 70], input: [80]);
        var port = LoopbackPort.Next();
        using var server = ModbusTcpServer.Listen("127.0.0.1", port);
        server.Add(1, first);
        server.Add(2, second);
        using var stop = new CancellationTokenSource();
        var running = server.RunAsync(stop.Token);

        using (var client = ModbusClient.ConnectTcp("127.0.0.1", port, Timeouts.Response))
        {
            RtuServerTests.Read(client, 1, RegisterTable.Holding, 0, 3).Should().Equal(10, 20, 30);
            RtuServerTests.Read(client, 1, RegisterTable.Input, 0, 2).Should().Equal(40, 50);
            RtuServerTests.Read(client, 2, RegisterTable.Holding, 0, 2).Should().Equal(60, 70);
            RtuServerTests.Read(client, 2, RegisterTable.Input, 0, 1).Should().Equal(80);
            client.WriteRegisters(2, 0, [61, 71]);
            client.WriteRegister(1, 2, 31);

            // A unit the server does not serve: answered as a gateway does, exception 0x0B.
            Invoking(() => RtuServerTests.Read(client, 5, RegisterTable.Holding, 0, 1)).Should().Throw<ModbusException>()
                .Which.SlaveExceptionCode.Should().Be(0x0B);
            Invoking(() => RtuServerTests.Read(client, 1, RegisterTable.Holding, 2, 2)).Should().Throw<ModbusException>()
                .Which.SlaveExceptionCode.Should().Be(2);
        }

        RtuServerTests.Snapshot(second, RegisterTable.Holding, 2).Should().Equal(61, 71);
        RtuServerTests.Snapshot(first, RegisterTable.Holding, 3).Should().Equal(10, 20, 31);
        await Eventually.SucceedsAsync(() => server.RequestsIgnored.Should().Be(1), Timeouts.Bound, "the unknown unit counted");

        // The server takes the next connection once the first has gone.
        using (var again = ModbusClient.ConnectTcp("127.0.0.1", port, Timeouts.Response))
        {
            RtuServerTests.Read(again, 2, RegisterTable.Holding, 0, 2).Should().Equal(61, 71);
        }

        await Eventually.SucceedsAsync(() => server.RequestsServed.Should().Be(8), Timeouts.Bound, "8 requests counted as served");
        await stop.CancelAsync();
        await running.Invoking(t => t.WaitAsync(Timeouts.Bound)).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public void Listening_on_a_port_in_use_is_a_connection_failure()
    {
        using var first = ModbusTcpServer.Listen("127.0.0.1", 0);

        var failure = Invoking(() => ModbusTcpServer.Listen("127.0.0.1", first.Port)).Should().Throw<ModbusException>().Which;

        failure.Kind.Should().Be(ModbusErrorKind.ConnectionFailed);
        failure.NativeError.Should().Be(98); // EADDRINUSE
        failure.Message.Should().Contain(first.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_restarted_server_gets_its_port_back_while_the_old_connection_is_in_time_wait()
    {
        using var bank = RtuServerTests.Bank(holding: [5], input: []);
        var port = LoopbackPort.Next();
        using (var server = ModbusTcpServer.Listen("127.0.0.1", port))
        {
            server.Add(1, bank);
            using var stop = new CancellationTokenSource();
            var running = server.RunAsync(stop.Token);
            using var client = ModbusClient.ConnectTcp("127.0.0.1", port, Timeouts.Response);
            RtuServerTests.Read(client, 1, RegisterTable.Holding, 0, 1).Should().Equal(5);
            await stop.CancelAsync(); // the server closes the connection first: its side goes to TIME_WAIT
            await running.Invoking(t => t.WaitAsync(Timeouts.Bound)).Should().ThrowAsync<OperationCanceledException>();
        }

        using var restarted = ModbusTcpServer.Listen("127.0.0.1", port);
        restarted.Port.Should().Be(port);
    }

    [Fact]
    public void Connecting_to_a_port_nobody_listens_on_is_a_connection_failure()
    {
        var failure = Invoking(() => ModbusClient.ConnectTcp("127.0.0.1", LoopbackPort.Next(), Timeouts.Response))
            .Should().Throw<ModbusException>().Which;

        failure.Kind.Should().Be(ModbusErrorKind.ConnectionFailed);
        failure.NativeError.Should().Be(111); // ECONNREFUSED
    }
}
