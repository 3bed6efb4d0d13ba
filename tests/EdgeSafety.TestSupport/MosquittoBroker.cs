using System.Globalization;

namespace EdgeSafety.TestSupport;

/// <summary>
/// A real mosquitto on 127.0.0.1, configured from deploy/mosquitto.conf.template. It can be stopped and
/// started again on the same port with the same persistence directory, as a broker restart in the field.
/// Given certificates, it also listens with TLS on <see cref="TlsPort"/>, and on <see cref="ClientCertificatePort"/>
/// with TLS that requires a client certificate signed by the same CA.
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private readonly TemporaryDirectory _directory = new("mosquitto");
    private ExternalProcess? _process;

    private MosquittoBroker(int port)
    {
        Port = port;
    }

    public int Port { get; }

    public int TlsPort { get; private set; }

    public int ClientCertificatePort { get; private set; }

    public string Host => "127.0.0.1";

    public string ConfigPath => _directory.Combine("mosquitto.conf");

    /// <summary>The broker's folder: its persistence and, started secured, the dynamic security file it keeps (dynamic-security.json).</summary>
    public string DataDirectory => _directory.Path;

    /// <summary>Everything the broker logged so far (for failure messages).</summary>
    public string Log => _process?.Output ?? string.Empty;

    /// <summary>The running mosquitto's process id (benchmarks read its CPU time).</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("The broker is not running.");

    public static async Task<MosquittoBroker> StartAsync(TestCertificates? tls = null)
    {
        var broker = new MosquittoBroker(LoopbackPort.Next());
        // The shipped limits with a plain, anonymous loopback listener: what most tests need (the shipped security is
        // tested with StartSecuredAsync).
        var config = broker.RenderLimits() + $"listener {broker.Port.ToString(CultureInfo.InvariantCulture)} 127.0.0.1{Environment.NewLine}allow_anonymous true{Environment.NewLine}";
        if (tls is not null)
        {
            // `user` in the template lets a broker started as root read the certificates after it drops root.
            broker.TlsPort = LoopbackPort.Next();
            broker.ClientCertificatePort = LoopbackPort.Next();
            string[] listeners =
            [
                $"listener {broker.TlsPort} 127.0.0.1", $"cafile {tls.CaFile}", $"certfile {tls.ServerCertFile}", $"keyfile {tls.ServerKeyFile}",
                $"listener {broker.ClientCertificatePort} 127.0.0.1", $"cafile {tls.CaFile}", $"certfile {tls.ServerCertFile}",
                $"keyfile {tls.ServerKeyFile}", "require_certificate true",
            ];
            config += Environment.NewLine + string.Join(Environment.NewLine, listeners) + Environment.NewLine;
        }

        await File.WriteAllTextAsync(broker.ConfigPath, config);
        await broker.StartProcessAsync();
        return broker;
    }

    /// <summary>
    /// The broker as shipped (deploy/mosquitto-security.conf.template): TLS only on <see cref="Port"/>, no anonymous
    /// clients, and the dynamic security plugin starting from the given file (DynamicSecurityFile.Generate).
    /// <see cref="TlsPort"/> and <see cref="ClientCertificatePort"/> stay 0.
    /// </summary>
    public static async Task<MosquittoBroker> StartSecuredAsync(TestCertificates tls, string dynamicSecurityJson)
    {
        var broker = new MosquittoBroker(LoopbackPort.Next());
        var security = ConfigTemplate.Render("mosquitto-security.conf.template", new Dictionary<string, string>
        {
            ["PORT"] = broker.Port.ToString(CultureInfo.InvariantCulture),
            ["BIND"] = broker.Host,
            ["CA_FILE"] = tls.CaFile,
            ["CERT_FILE"] = tls.ServerCertFile,
            ["KEY_FILE"] = tls.ServerKeyFile,
            ["DYNSEC_PLUGIN"] = DynamicSecurityPlugin,
            ["DATA_DIR"] = broker._directory.Path,
        });
        await File.WriteAllTextAsync(broker.ConfigPath, broker.RenderLimits() + security);
        var dynamicSecurity = broker._directory.Combine("dynamic-security.json");
        await File.WriteAllTextAsync(dynamicSecurity, dynamicSecurityJson);
        // Owner-only, as EdgeSafety.BrokerSecurity writes it (SecretFile): it holds every client's password hash.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dynamicSecurity, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        await broker.StartProcessAsync();
        return broker;
    }

    /// <summary>Debian installs the plugin under the architecture's library folder (x86_64-linux-gnu, aarch64-linux-gnu, ...).</summary>
    public static string DynamicSecurityPlugin =>
        Directory.EnumerateDirectories("/usr/lib", "*-linux-gnu*").Select(d => Path.Combine(d, "mosquitto_dynamic_security.so")).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("mosquitto_dynamic_security.so not found under /usr/lib: install the mosquitto package.");

    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.StopGracefullyAsync(TimeSpan.FromSeconds(10));
            _process.Dispose();
            _process = null;
        }
    }

    public Task RestartAsync() => StopAsync().ContinueWith(_ => StartProcessAsync()).Unwrap();

    public async Task StartProcessAsync()
    {
        if (_process is not null)
        {
            throw new InvalidOperationException("The broker is already running.");
        }

        _process = ExternalProcess.Start("mosquitto", "mosquitto", ["-c", ConfigPath]);
        foreach (var port in new[] { Port, TlsPort, ClientCertificatePort }.Where(p => p != 0))
        {
            await LoopbackPort.WaitUntilListeningAsync(port, _process, StartTimeout);
        }
    }

    private string RenderLimits() => ConfigTemplate.Render("mosquitto.conf.template", new Dictionary<string, string>
    {
        ["DATA_DIR"] = _directory.Path,
        ["USER"] = Environment.UserName,
    });

    public async ValueTask DisposeAsync()
    {
        _process?.Dispose();
        _process = null;
        await Task.Yield();
        _directory.Dispose();
    }
}
