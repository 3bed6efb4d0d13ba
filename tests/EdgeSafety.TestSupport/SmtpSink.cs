namespace EdgeSafety.TestSupport;

/// <summary>
/// A real SMTP server on loopback: Debian's python3-aiosmtpd (an RFC 5321 server we did not write) with its
/// Mailbox handler, which stores every accepted message, as received, in a Maildir a test reads back.
/// </summary>
public sealed class SmtpSink : IDisposable
{
    // Debian's interpreter, where python3-aiosmtpd is installed (a python3 earlier on PATH, from pyenv say, lacks it).
    private const string DebianPython = "/usr/bin/python3";
    private readonly TemporaryDirectory _directory;
    private readonly ExternalProcess _process;

    private SmtpSink(int port, TemporaryDirectory directory, ExternalProcess process)
    {
        Port = port;
        _directory = directory;
        _process = process;
    }

    public int Port { get; }

    public static async Task<SmtpSink> StartAsync()
    {
        var port = LoopbackPort.Next();
        var directory = new TemporaryDirectory("smtp");
        var maildir = directory.Combine("maildir");
        var process = ExternalProcess.Start("aiosmtpd", DebianPython,
            ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", maildir]);
        var sink = new SmtpSink(port, directory, process);
        try
        {
            await LoopbackPort.WaitUntilListeningAsync(port, process, TimeSpan.FromSeconds(15));
        }
        catch
        {
            sink.Dispose();
            throw;
        }

        return sink;
    }

    /// <summary>The raw messages stored so far (headers and body as the server wrote them).</summary>
    public IReadOnlyList<string> Messages
    {
        get
        {
            var folder = Path.Combine(_directory.Path, "maildir", "new");
            return Directory.Exists(folder)
                ? [.. Directory.GetFiles(folder).Order(StringComparer.Ordinal).Select(File.ReadAllText)]
                : [];
        }
    }

    public void Dispose()
    {
        _process.Dispose();
        _directory.Dispose();
    }
}
