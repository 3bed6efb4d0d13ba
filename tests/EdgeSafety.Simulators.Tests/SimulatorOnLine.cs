using EdgeSafety.TestSupport;

namespace EdgeSafety.Simulators.Tests;

/// <summary>
/// The simulator as the demo runs it, serving its devices on a socat pty pair, healthy and answering its control
/// API; read the line's other end with Debian's mbpoll, a Modbus master we did not write.
/// </summary>
public sealed class SimulatorOnLine : IDisposable
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private SimulatorOnLine(SerialLinePair line, ExternalProcess process, Uri control)
    {
        Line = line;
        Process = process;
        Control = control;
    }

    public SerialLinePair Line { get; }

    public ExternalProcess Process { get; }

    public Uri Control { get; }

    /// <summary>Starts the simulator with the shipped settings, overridden by any extra command-line settings.</summary>
    public static async Task<SimulatorOnLine> StartAsync(params string[] settings)
    {
        var line = await SerialLinePair.StartAsync();
        var port = LoopbackPort.Next();
        var process = ServiceProcess.Start("EdgeSafety.Simulators", port, [$"--Simulator:Lines:0:DevicePath={line.SlavePath}", .. settings]);
        var simulator = new SimulatorOnLine(line, process, new Uri($"http://127.0.0.1:{port}/"));
        await process.WaitForOutputAsync("Serving noise-stairwell", Bound);
        await ServiceProcess.WaitUntilHealthyAsync(process, port, Bound);
        return simulator;
    }

    /// <summary>One poll by mbpoll at 9600 baud, no parity; it must succeed. Returns what it printed.</summary>
    public async Task<string> MbpollAsync(params string[] arguments)
    {
        using var mbpoll = ExternalProcess.Start("mbpoll", "mbpoll",
            ["-m", "rtu", "-b", "9600", "-P", "none", "-1", .. arguments, Line.MasterPath]);
        var exitCode = await mbpoll.WaitForExitAsync(Bound);
        exitCode.Should().Be(0, mbpoll.Output);
        return mbpoll.Output;
    }

    public void Dispose()
    {
        Process.Dispose();
        Line.Dispose();
    }
}
