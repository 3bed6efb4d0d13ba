using System.Security.Cryptography;
using EdgeSafety.TestSupport;
using Microsoft.Playwright;

namespace EdgeSafety.EndToEnd.Tests;

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardStack>
{
    public const string Name = "Dashboard in the running stack";
}

/// <summary>
/// One running stack with the dashboard for every browser test (starting it is the slow part): the simulated
/// building of the demo, ingest and the dashboard sharing one alert store seeded with the shipped demo registry, an
/// account per role made with the dashboard's own `users add` command, and one headless Chromium.
/// </summary>
public sealed class DashboardStack : IAsyncLifetime
{
    public static readonly IReadOnlyDictionary<string, string[]> AccountRoles = new Dictionary<string, string[]>
    {
        ["liang"] = ["--role", "warden", "--area", "nanzhou", "--person", "warden-liang"],
        ["chen"] = ["--role", "landlord", "--person", "landlord-chen"],
        ["huang"] = ["--role", "landlord", "--person", "landlord-huang"],
        ["wu"] = ["--role", "installer", "--sites", "haizhu-demo"],
    };

    private readonly TemporaryDirectory _data = new("e2e-dashboard");
    private readonly Dictionary<string, string> _passwords = [];
    private Chromium? _chromium;

    public RunningStack Stack { get; private set; } = null!;

    public IBrowser Browser => _chromium!.Browser;

    public Uri Dashboard => Stack.Dashboard!;

    public string PasswordOf(string name) => _passwords[name];

    public async Task InitializeAsync()
    {
        var alerts = $"--Alerts:Store:SqlitePath={_data.Combine("alerts.db")}";
        var accounts = $"--Dashboard:StorePath={_data.Combine("dashboard.db")}";
        foreach (var (name, role) in AccountRoles)
        {
            _passwords[name] = await AddAccountAsync(name, role, accounts);
        }

        Stack = await RunningStack.StartAsync(new StackOptions
        {
            // Room 301 draws only what the control API plugs in, so nothing of its simulated day lands on a charger's step.
            SimulatorSettings = ["--Simulator:Devices:0:Household:Schedule=false"],
            IngestSettings =
            [
                $"--Alerts:RegistryPath={RepositoryPaths.File("ingest", "EdgeSafety.Ingest", "alert-registry.demo.json")}", alerts,
                "--Alerts:PollInterval=00:00:00.200", "--Charging:Detector:EndHoldSeconds=5",
            ],
            Dashboard = true,
            DashboardSettings = [alerts, accounts],
        });
        _chromium = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }

        if (Stack is not null)
        {
            await Stack.DisposeAsync();
        }

        _data.Dispose();
    }

    /// <summary>A fresh browser profile (own cookies and storage) on the dashboard, in the given language.</summary>
    public Task<IBrowserContext> NewContextAsync(string locale = "en-US", int width = 1366, int height = 860) =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Dashboard.ToString(),
            Locale = locale,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            // The site's zone, not the browser's, is what the page must show.
            TimezoneId = "Europe/London",
        });

    // The password is chosen here and handed over in a file, as an operator scripting accounts would.
    private async Task<string> AddAccountAsync(string name, string[] role, string accounts)
    {
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        var file = _data.Combine($"{name}.password");
        await File.WriteAllTextAsync(file, password);
        var directory = ServiceProcess.OutputDirectory("EdgeSafety.Dashboard");
        using var command = ExternalProcess.Start($"users add {name}", "dotnet",
            [Path.Combine(directory, "EdgeSafety.Dashboard.dll"), "users", "add", "--name", name, .. role, "--password-file", file, accounts],
            new Dictionary<string, string> { ["DOTNET_ENVIRONMENT"] = "Production", ["DOTNET_NOLOGO"] = "1" }, directory);
        var exitCode = await command.WaitForExitAsync(RunningStack.Bound);
        exitCode.Should().Be(0, $"`users add {name}` succeeds; it said: {command.Output}");
        return password;
    }
}
