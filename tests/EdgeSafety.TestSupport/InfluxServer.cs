using System.Globalization;

namespace EdgeSafety.TestSupport;

/// <summary>A real influxd (1.x) on 127.0.0.1, configured from deploy/influxdb.conf.template, with its data in a temporary directory.</summary>
public sealed class InfluxServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly TemporaryDirectory _directory = new("influxd");
    private ExternalProcess? _process;

    private InfluxServer(int httpPort, int rpcPort)
    {
        HttpPort = httpPort;
        RpcPort = rpcPort;
    }

    public int HttpPort { get; }

    public int RpcPort { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}/");

    public string Log => _process?.Output ?? string.Empty;

    /// <summary>The running influxd's process id (benchmarks read its CPU time).</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("influxd is not running.");

    public static async Task<InfluxServer> StartAsync()
    {
        var server = new InfluxServer(LoopbackPort.Next(), LoopbackPort.Next());
        var config = ConfigTemplate.Render("influxdb.conf.template", new Dictionary<string, string>
        {
            ["HTTP_PORT"] = server.HttpPort.ToString(CultureInfo.InvariantCulture),
            ["RPC_PORT"] = server.RpcPort.ToString(CultureInfo.InvariantCulture),
            ["DATA_DIR"] = server._directory.Path,
        });
        await File.WriteAllTextAsync(server._directory.Combine("influxdb.conf"), config);
        await server.StartProcessAsync();
        return server;
    }

    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.StopGracefullyAsync(TimeSpan.FromSeconds(20));
            _process.Dispose();
            _process = null;
        }
    }

    public async Task StartProcessAsync()
    {
        if (_process is not null)
        {
            throw new InvalidOperationException("influxd is already running.");
        }

        _process = ExternalProcess.Start("influxd", "influxd", ["-config", _directory.Combine("influxdb.conf")]);
        using var http = new HttpClient { BaseAddress = BaseAddress };
        var process = _process;
        await Eventually.SucceedsAsync(async () =>
        {
            process.ThrowIfExited();
            using var response = await http.GetAsync(new Uri("ping", UriKind.Relative));
            response.EnsureSuccessStatusCode();
        }, StartTimeout, $"influxd to answer /ping on port {HttpPort}");
    }

    public async ValueTask DisposeAsync()
    {
        _process?.Dispose();
        _process = null;
        await Task.Yield();
        _directory.Dispose();
    }
}
