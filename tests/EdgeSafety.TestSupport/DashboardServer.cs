namespace EdgeSafety.TestSupport;

/// <summary>An account to create before the dashboard starts: name, role and what the role is scoped to.</summary>
public sealed record DashboardAccount(string Name, string Role, string? Person = null, string? Area = null, string? Sites = null);

/// <summary>
/// The built dashboard running as its own process, with a fresh store of its own (accounts, audit log), an alert
/// store seeded from a registry file, and accounts created with its users command before it starts. For the API and
/// browser tests: <see cref="BaseAddress"/>, and <see cref="Passwords"/> by account name.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private const string Project = "EdgeSafety.Dashboard";
    private readonly ExternalProcess _process;
    private readonly TemporaryDirectory _directory;
    private readonly string[] _storeSettings;

    private DashboardServer(ExternalProcess process, TemporaryDirectory directory, string[] storeSettings, int port, IReadOnlyDictionary<string, string> passwords)
    {
        _process = process;
        _directory = directory;
        _storeSettings = storeSettings;
        Port = port;
        Passwords = passwords;
    }

    /// <summary>One account per role over the demo registry (ingest/EdgeSafety.Ingest/alert-registry.demo.json).</summary>
    public static readonly IReadOnlyList<DashboardAccount> DemoAccounts =
    [
        new("admin", "admin"),
        new("warden", "warden", Person: "warden-liang", Area: "nanzhou"),
        new("landlord", "landlord", Person: "landlord-chen"),
        new("landlord2", "landlord", Person: "landlord-huang"),
        new("installer", "installer", Sites: "haizhu-demo"),
    ];

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public IReadOnlyDictionary<string, string> Passwords { get; }

    /// <summary>The alert store the dashboard opens: a test (or ingest) writes alerts here as ingest would.</summary>
    public string AlertStorePath => _directory.Combine("alerts.db");

    public string DashboardStorePath => _directory.Combine("dashboard.db");

    public string Output => _process.Output;

    /// <summary>
    /// Creates the accounts, then starts the dashboard and waits for /healthz. <paramref name="registryPath"/> seeds
    /// the alert store (the demo registry when null); <paramref name="settings"/> are more --Section:Key=value
    /// settings (the broker's port, InfluxDB's address).
    /// </summary>
    public static async Task<DashboardServer> StartAsync(IReadOnlyList<DashboardAccount>? accounts = null, string? registryPath = null,
        params string[] settings)
    {
        var directory = new TemporaryDirectory("dashboard");
        try
        {
            string[] storeSettings =
            [
                $"--Dashboard:StorePath={directory.Combine("dashboard.db")}",
                $"--Alerts:Store:SqlitePath={directory.Combine("alerts.db")}",
                $"--Alerts:RegistryPath={registryPath ?? RepositoryPaths.File("ingest", "EdgeSafety.Ingest", "alert-registry.demo.json")}",
            ];
            var passwords = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var account in accounts ?? DemoAccounts)
            {
                passwords[account.Name] = await RunUsersCommandAsync(account.Name, ["add", "--name", account.Name, "--role", account.Role,
                    .. Flag("--person", account.Person), .. Flag("--area", account.Area), .. Flag("--sites", account.Sites)], storeSettings);
            }

            var port = LoopbackPort.Next();
            var process = ServiceProcess.Start(Project, port, [.. storeSettings, .. settings]);
            var server = new DashboardServer(process, directory, storeSettings, port, passwords);
            try
            {
                await ServiceProcess.WaitUntilHealthyAsync(process, port, TimeSpan.FromSeconds(60));
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }

            return server;
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    public Task WaitForOutputAsync(string text, TimeSpan timeout) => _process.WaitForOutputAsync(text, timeout);

    /// <summary>Lines the dashboard logged at error or critical level.</summary>
    public IEnumerable<string> ErrorLines() => ServiceProcess.ErrorLines(_process);

    public async ValueTask DisposeAsync()
    {
        await _process.StopGracefullyAsync(TimeSpan.FromSeconds(15));
        _process.Dispose();
        _directory.Dispose();
    }

    /// <summary>Gives the account a new random password with the users command, while the server runs; returns it.</summary>
    public Task<string> ResetPasswordAsync(string name) => RunUsersCommandAsync(name, ["reset", "--name", name], _storeSettings);

    private static string[] Flag(string flag, string? value) => value is null ? [] : [flag, value];

    /// <summary>Runs the dashboard's users command and returns the password it printed for the account.</summary>
    private static async Task<string> RunUsersCommandAsync(string name, string[] arguments, string[] storeSettings)
    {
        var directory = ServiceProcess.OutputDirectory(Project);
        using var command = ExternalProcess.Start("dashboard users", "dotnet", [Path.Combine(directory, Project + ".dll"), "users", .. arguments, .. storeSettings],
            new Dictionary<string, string> { ["DOTNET_ENVIRONMENT"] = "Production", ["DOTNET_NOLOGO"] = "1" }, workingDirectory: directory);
        var exit = await command.WaitForExitAsync(TimeSpan.FromSeconds(60));
        var line = command.Output.Split('\n').FirstOrDefault(l => l.StartsWith(name + "\t", StringComparison.Ordinal));
        return exit == 0 && line?.Split('\t') is [_, _, var password]
            ? password
            : throw new InvalidOperationException($"users {string.Join(' ', arguments)} failed ({exit}): {command.Output}");
    }
}
