using System.Diagnostics;
using System.Globalization;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Mqtt.Tests;

/// <summary>
/// A mosquitto with a configuration the test writes itself (authentication, debug logging), for the cases the shipped
/// deploy/mosquitto.conf.template does not cover. Use <see cref="MosquittoBroker"/> for everything else.
/// </summary>
public sealed class ConfiguredBroker : IAsyncDisposable
{
    private readonly TemporaryDirectory _directory;
    private readonly ExternalProcess _process;

    private ConfiguredBroker(TemporaryDirectory directory, ExternalProcess process, int port)
    {
        _directory = directory;
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Everything the broker logged so far.</summary>
    public string Log => _process.Output;

    /// <summary>Starts mosquitto with a listener on a free loopback port and the given lines.</summary>
    public static async Task<ConfiguredBroker> StartAsync(Func<TemporaryDirectory, Task<IEnumerable<string>>> settings)
    {
        var directory = new TemporaryDirectory("mosquitto-configured");
        var port = LoopbackPort.Next();
        string[] lines =
        [
            "per_listener_settings false",
            $"listener {port.ToString(CultureInfo.InvariantCulture)} 127.0.0.1",
            "log_dest stderr",
            .. await settings(directory),
        ];
        var config = directory.Combine("mosquitto.conf");
        await File.WriteAllLinesAsync(config, lines);
        var process = ExternalProcess.Start("mosquitto", "mosquitto", ["-c", config]);
        var broker = new ConfiguredBroker(directory, process, port);
        try
        {
            await LoopbackPort.WaitUntilListeningAsync(port, process, TimeSpan.FromSeconds(15));
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }

        return broker;
    }

    /// <summary>
    /// A mosquitto password file with one user, made by Debian's mosquitto_passwd. Started as root, mosquitto reads it
    /// after switching to the user "mosquitto", so the file and its directory must be readable by others.
    /// </summary>
    public static async Task<string> CreatePasswordFileAsync(TemporaryDirectory directory, string user, string password)
    {
        const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        var path = directory.Combine("passwords");
        using var passwd = Process.Start(new ProcessStartInfo("mosquitto_passwd", ["-b", "-c", path, user, password])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await passwd.WaitForExitAsync(timeout.Token);
        passwd.ExitCode.Should().Be(0, "mosquitto_passwd should create the file: {0}", await passwd.StandardError.ReadToEndAsync());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory.Path, Readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            File.SetUnixFileMode(path, Readable);
        }
        return path;
    }

    public ValueTask DisposeAsync()
    {
        _process.Dispose();
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }
}
