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
/// building of the demo, ingest and the dashboard sharing one alert store seeded with the shipped demo registry, the
/// dashboard's demo account per role, and one headless Chromium.
/// </summary>
public sealed class DashboardStack : IAsyncLifetime
{
    private Chromium? _chromium;

    /// <summary>The CA a gateway would be handed at enrolment: the dashboard checks that the file exists.</summary>
    private readonly TestCertificates _certificates = TestCertificates.Create();

    public RunningStack Stack { get; private set; } = null!;

    public IBrowser Browser => _chromium!.Browser;

    public Uri Dashboard => Stack.Dashboard!.BaseAddress;

    /// <summary>The password of one of the demo accounts: admin, warden (Liang, area nanzhou), landlord (Chen: rooms 301 and 302), installer.</summary>
    public string PasswordOf(string name) => Stack.Dashboard!.Passwords[name];

    public async Task InitializeAsync()
    {
        Stack = await RunningStack.StartAsync(new StackOptions
        {
            // Room 301 draws only what the control API plugs in, so nothing of its simulated day lands on a charger's step.
            SimulatorSettings = ["--Simulator:Devices:0:Household:Schedule=false"],
            IngestSettings = ["--Alerts:PollInterval=00:00:00.200", "--Charging:Detector:EndHoldSeconds=5"],
            // The gateway "plays" its two recorded warnings by printing them, and announces their keys when it comes online.
            AgentSettings = ["--Warning:Player=/bin/echo", "--Warning:Arguments:0={message}", "--Warning:Messages:noise-exceedance:Text=over the limit",
                "--Warning:Messages:quiet-hours:Text=quiet hours", "--Warning:MinimumIntervalMinutes=0"],
            Dashboard = true,
            // Enrolment codes can be issued (redeeming one, which needs the secured broker, is the provisioning tests' part).
            DashboardSettings = ["--Provisioning:GatewayBroker:Host=127.0.0.1", $"--Provisioning:GatewayBroker:CaFile={_certificates.CaFile}"],
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

        _certificates.Dispose();
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
}
