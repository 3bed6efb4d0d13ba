using EdgeSafety.TestSupport;

namespace EdgeSafety.Modbus.Tests;

/// <summary>A socat pty pair with our RTU server running on its device end, serving the given units.</summary>
internal sealed class RtuBus : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();

    private RtuBus(SerialLinePair line, SerialLineSettings settings, ModbusRtuServer server)
    {
        Line = line;
        Settings = settings;
        Server = server;
        Running = server.RunAsync(_stop.Token);
    }

    public SerialLinePair Line { get; }

    /// <summary>The line as both ends open it (the server's path; the master's is Line.MasterPath).</summary>
    public SerialLineSettings Settings { get; }

    public ModbusRtuServer Server { get; }

    /// <summary>The server's RunAsync task.</summary>
    public Task Running { get; }

    public static Task<RtuBus> StartAsync(params (byte UnitId, RegisterBank Bank)[] units) =>
        StartAsync(settings => settings, RtuReplyTiming.Immediate, units);

    /// <summary>A bus whose line settings (baud, parity...) are the defaults changed by configure, replying with timing.</summary>
    public static async Task<RtuBus> StartAsync(Func<SerialLineSettings, SerialLineSettings> configure, RtuReplyTiming timing,
        params (byte UnitId, RegisterBank Bank)[] units)
    {
        var line = await SerialLinePair.StartAsync();
        var settings = configure(new SerialLineSettings(line.SlavePath));
        var server = ModbusRtuServer.Open(settings, timing);
        foreach (var (unitId, bank) in units)
        {
            server.Add(unitId, bank);
        }

        return new RtuBus(line, settings, server);
    }

    public ModbusClient Connect(TimeSpan responseTimeout) =>
        ModbusClient.ConnectRtu(Settings with { DevicePath = Line.MasterPath }, responseTimeout);

    public Task StopAsync() => _stop.CancelAsync();

    /// <summary>Kills socat: the pty's other side is gone, as when a USB adapter is unplugged.</summary>
    public void HangUp()
    {
        Line.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAny(Running, Task.Delay(Timeouts.Bound));
        Server.Dispose();
        Line.Dispose();

        _stop.Dispose();
    }
}

internal static class Timeouts
{
    /// <summary>The most any awaited outcome may take before a test fails; a healthy run takes milliseconds.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan Response = TimeSpan.FromSeconds(2);
}
