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

    /// <summary>Everything the broker logged so far (for failure messages).</summary>
    public string Log => _process?.Output ?? string.Empty;

    public static async Task<MosquittoBroker> StartAsync(TestCertificates? tls = null)
    {
        var broker = new MosquittoBroker(LoopbackPort.Next());
        var config = ConfigTemplate.Render("mosquitto.conf.template", new Dictionary<string, string>
        {
            ["PORT"] = broker.Port.ToString(CultureInfo.InvariantCulture),
            ["DATA_DIR"] = broker._directory.Path,
            ["USER"] = Environment.UserName,
        });
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

    public async ValueTask DisposeAsync()
    {
        _process?.Dispose();
        _process = null;
        await Task.Yield();
        _directory.Dispose();
    }
}
