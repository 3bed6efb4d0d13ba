namespace EdgeSafety.TestSupport;

/// <summary>
/// Two pseudo-terminals joined by socat: what one end writes, the other reads, as two devices on a serial
/// line. A pty ignores baud and parity, so tests here prove framing and behaviour, not wire timing.
/// </summary>
public sealed class SerialLinePair : IDisposable
{
    private readonly TemporaryDirectory _directory = new("serial");
    private readonly ExternalProcess _socat;

    private SerialLinePair()
    {
        MasterPath = _directory.Combine("master");
        SlavePath = _directory.Combine("slave");
        _socat = ExternalProcess.Start("socat", "socat",
            ["-d", "-d", $"pty,raw,echo=0,link={MasterPath}", $"pty,raw,echo=0,link={SlavePath}"]);
    }

    /// <summary>The end the polling side (agent, Modbus master) opens.</summary>
    public string MasterPath { get; }

    /// <summary>The end the device side (simulator, Modbus slave) opens.</summary>
    public string SlavePath { get; }

    public static async Task<SerialLinePair> StartAsync()
    {
        var pair = new SerialLinePair();
        await Eventually.SucceedsAsync(() =>
        {
            pair._socat.ThrowIfExited();
            if (!File.Exists(pair.MasterPath) || !File.Exists(pair.SlavePath))
            {
                throw new InvalidOperationException("pty links not there yet");
            }
        }, TimeSpan.FromSeconds(10), "socat to create the pty pair");
        await pair._socat.WaitForOutputAsync("starting data transfer loop", TimeSpan.FromSeconds(10));
        return pair;
    }

    public void Dispose()
    {
        _socat.Dispose();
        _directory.Dispose();
    }
}
