using System.Diagnostics;
using EdgeSafety.Modbus;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Benchmarks;

/// <summary>
/// Transactions per second one serial bus carries: our master reading the simulator's devices in turn over a socat pty
/// pair, the simulator holding each reply for its wire time at the bus's baud rate. The limit is one transaction per
/// <see cref="RtuWireTime.Transaction"/>; what the bus falls short of it is the cost of our master, the simulator and
/// the pty together.
/// </summary>
internal static class BusThroughput
{
    /// <summary>A meter poll's typical block.</summary>
    public const int Registers = 40;

    /// <summary>The share of the wire-time limit a bus of promptly answering devices should reach.</summary>
    public const double Goal = 0.9;

    /// <summary>The simulator's demo meters (simulators/EdgeSafety.Simulators/appsettings.json): each has 40 input registers from 0.</summary>
    public static readonly byte[] Units = [1, 2, 13, 14];

    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(60);

    // Read input registers: unit, function, address (2), count (2), CRC (2); the reply: unit, function, byte count,
    // the registers, CRC (2).
    private const int RequestBytes = 8;
    private const int ReplyBytes = 5 + (2 * Registers);

    public static async Task<Result> MeasureAsync(int baudRate, TimeSpan duration)
    {
        using var line = await SerialLinePair.StartAsync();
        var port = LoopbackPort.Next();
        using var simulator = ServiceProcess.Start("EdgeSafety.Simulators", port,
            $"--Simulator:Lines:0:DevicePath={line.SlavePath}", $"--Simulator:Lines:0:BaudRate={baudRate}",
            "--Simulator:Lines:0:SimulateWireTime=true", "--Simulator:Lines:0:ResponseDelayMilliseconds=0",
            "--Logging:LogLevel:Default=Warning");
        await ServiceProcess.WaitUntilHealthyAsync(simulator, port, StartBound);

        var settings = new SerialLineSettings(line.MasterPath, baudRate);
        using var master = ModbusClient.ConnectRtu(settings, TimeSpan.FromSeconds(1));
        var registers = new ushort[Registers];
        foreach (var unitId in Units)
        {
            master.ReadRegisters(unitId, RegisterTable.Input, 0, registers); // first replies, JIT and pages warm
        }

        var transactions = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            master.ReadRegisters(Units[transactions % Units.Length], RegisterTable.Input, 0, registers);
            transactions++;
        }

        clock.Stop();
        var limit = 1 / RtuWireTime.Transaction(settings, RequestBytes, ReplyBytes).TotalSeconds;
        return new Result(baudRate, transactions, transactions / clock.Elapsed.TotalSeconds, limit);
    }

    public sealed record Result(int BaudRate, int Transactions, double PerSecond, double LimitPerSecond)
    {
        public double ShareOfLimit => PerSecond / LimitPerSecond;
    }
}
