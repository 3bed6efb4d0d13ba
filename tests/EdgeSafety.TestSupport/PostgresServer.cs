using System.Diagnostics;
using System.Globalization;

namespace EdgeSafety.TestSupport;

/// <summary>
/// A real PostgreSQL (Debian's postgresql package) on 127.0.0.1 with its own data directory, made by initdb and
/// run as the current user; PostgreSQL refuses to run as root, so under root it runs as the package's postgres user.
/// Each test takes its own database from it.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string User = "edgesafety";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly TemporaryDirectory _directory = new("postgres");
    private readonly string _bin;
    private ExternalProcess? _process;
    private int _databases;

    private PostgresServer(string bin, int port)
    {
        _bin = bin;
        Port = port;
    }

    public int Port { get; }

    public string Log => _process?.Output ?? string.Empty;

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderByDescending(d => d, StringComparer.Ordinal).FirstOrDefault()
            ?? throw new InvalidOperationException("PostgreSQL is not installed (apt-get install postgresql; deploy/scripts/install-deps.sh --for test).");
        var server = new PostgresServer(bin, LoopbackPort.Next());
        var data = server._directory.Combine("data");
        if (Environment.IsPrivilegedProcess)
        {
            await RunAsync("chown", ["postgres:postgres", server._directory.Path]);
        }

        await RunAsync(AsServerUser(Path.Combine(bin, "initdb")), [.. AsServerUserArguments(Path.Combine(bin, "initdb")),
            "-D", data, "-U", User, "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"]);
        server._process = ExternalProcess.Start("postgres", AsServerUser(Path.Combine(bin, "postgres")),
            [.. AsServerUserArguments(Path.Combine(bin, "postgres")), "-D", data, "-p", server.Port.ToString(CultureInfo.InvariantCulture),
                "-k", server._directory.Path, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=200"]);
        var process = server._process;
        await Eventually.SucceedsAsync(async () =>
        {
            process.ThrowIfExited();
            await RunAsync(Path.Combine(bin, "pg_isready"), ["-h", "127.0.0.1", "-p", server.Port.ToString(CultureInfo.InvariantCulture)]);
        }, StartTimeout, $"postgres to accept connections on port {server.Port}");
        return server;
    }

    /// <summary>A new, empty database and the Npgsql connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"test{Interlocked.Increment(ref _databases)}";
        await RunAsync(Path.Combine(_bin, "createdb"), ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", User, name]);
        return $"Host=127.0.0.1;Port={Port};Username={User};Database={name};Pooling=true;Maximum Pool Size=20";
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            // SIGINT is PostgreSQL's fast shutdown: it ends client sessions instead of waiting for pools to close.
            using var interrupt = Process.Start(new ProcessStartInfo("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
            await interrupt.WaitForExitAsync();
            try
            {
                await process.WaitForExitAsync(TimeSpan.FromSeconds(15));
            }
            catch (OperationCanceledException)
            {
                // Killed below.
            }
        }

        _process?.Dispose();
        _directory.Dispose();
    }

    /// <summary>setpriv replaces itself with the program, so the process we own (and stop) is PostgreSQL itself.</summary>
    private static string AsServerUser(string program) => Environment.IsPrivilegedProcess ? "setpriv" : program;

    private static string[] AsServerUserArguments(string program) =>
        Environment.IsPrivilegedProcess ? ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", program] : [];

    private static async Task RunAsync(string program, IEnumerable<string> arguments)
    {
        using var process = ExternalProcess.Start(Path.GetFileName(program), program, arguments);
        var code = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        if (code != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {code}: {process.Output}");
        }
    }
}
