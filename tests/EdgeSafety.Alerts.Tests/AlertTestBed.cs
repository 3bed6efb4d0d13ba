using EdgeSafety.Alerts.Store;
using EdgeSafety.Notifications;
using EdgeSafety.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace EdgeSafety.Alerts.Tests;

/// <summary>
/// One installation under test: a registry (a building with two units, their landlord, two wardens at known
/// distances), a webhook receiver every person's notifications go to, a clock the test moves, and engines on a
/// database the test chooses. Engines made by <see cref="StartEngineAsync"/> are separate instances (own
/// connections), as two ingest processes would be.
/// </summary>
public sealed class AlertTestBed : IAsyncDisposable
{
    public const string WebhookSecret = "test-secret";
    public static readonly DateTimeOffset Start = new(2025, 3, 3, 2, 0, 0, TimeSpan.Zero); // 10:00 in Shanghai, a Monday
    private readonly List<AlertDatabase> _databases = [];
    private readonly ServiceProvider _services;

    private AlertTestBed(HttpReceiver receiver, Func<AlertStoreOptions> storeOptions)
    {
        Receiver = receiver;
        StoreOptions = storeOptions;
        _services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Notifications:Webhook:Secret"] = WebhookSecret,
                ["Notifications:TimeoutSeconds"] = "5",
            }).Build())
            .AddNotifications()
            .BuildServiceProvider();
    }

    public FakeTimeProvider Clock { get; } = new(Start);

    public HttpReceiver Receiver { get; }

    public Func<AlertStoreOptions> StoreOptions { get; }

    public RecordingLogger<AlertEngine> Log { get; private set; } = null!;

    public AlertOptions Options { get; private set; } = null!;

    public static async Task<AlertTestBed> CreateAsync(Func<AlertStoreOptions> storeOptions, ITestOutputHelper? output = null)
    {
        var bed = new AlertTestBed(await HttpReceiver.StartAsync(), storeOptions);
        bed.Log = new RecordingLogger<AlertEngine>(output);
        return bed;
    }

    public RegistryDocument Registry => new()
    {
        Sites = [new Site("haizhu", "Haizhu demo")],
        Buildings = [new Building("block-3", "haizhu", "Block 3", "south", 23.100, 113.300)],
        Units = [new Unit("room-301", "block-3", "Room 301", "landlord-chen"), new Unit("room-302", "block-3", "Room 302", "landlord-chen")],
        People =
        [
            new Person("landlord-chen", "Chen", PersonRole.Landlord, Preferences: Targets("landlord-chen") with { QuietHours = new QuietHours(new TimeOnly(22, 0), new TimeOnly(7, 0)) }),
            new Person("warden-far", "Far", PersonRole.Warden, "south", 23.200, 113.300, Targets("warden-far")),
            new Person("warden-near", "Near", PersonRole.Warden, "south", 23.101, 113.301, Targets("warden-near")),
        ],
        Devices = [new DeviceAssignment("haizhu", "meter-301", Unit: "room-301"), new DeviceAssignment("haizhu", "noise-1", Building: "block-3")],
        Gateways = [new GatewayAssignment("haizhu", "gw-01", "block-3")],
    };

    /// <summary>A new engine instance on the bed's database: its own connections, as another process would have.</summary>
    public async Task<AlertEngine> StartEngineAsync(Action<AlertOptions>? configure = null)
    {
        var registryFile = Path.Combine(Path.GetTempPath(), $"edgesafety-registry-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(registryFile, System.Text.Json.JsonSerializer.Serialize(Registry, RegistryDocument.Json));
        try
        {
            Options = new AlertOptions { TimeZone = "Asia/Shanghai", RegistryPath = registryFile, RetryDelayMin = TimeSpan.FromSeconds(10), Store = StoreOptions() };
            configure?.Invoke(Options);
            var database = AlertDatabase.Create(Options.Store);
            _databases.Add(database);
            var engine = new AlertEngine(new AlertStore(database), Options, _services.GetRequiredService<NotificationSender>(), Clock, Log);
            await engine.InitializeAsync(CancellationToken.None);
            return engine;
        }
        finally
        {
            File.Delete(registryFile);
        }
    }

    /// <summary>Closes every engine's connections: what a process exit does to them.</summary>
    public async Task StopEnginesAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }

        _databases.Clear();
    }

    public static AlertSignal Charging(string device = "meter-301", bool active = true, DateTimeOffset? at = null, string? unit = null) =>
        new(AlertKind.EbikeCharging, active, "haizhu", "gw-01", device, unit, at ?? Start, new Dictionary<string, string> { ["power_w"] = "180.5", ["confidence"] = "0.97" });

    public static AlertSignal Noise(string device = "noise-1", bool active = true, DateTimeOffset? at = null) =>
        new(AlertKind.NoiseExceedance, active, "haizhu", "gw-01", device, null, at ?? Start, new Dictionary<string, string> { ["laeq_db"] = "72.4" });

    private NotificationPreferences Targets(string person) => new()
    {
        Targets = [new NotificationTarget { Channel = NotificationChannel.Webhook, Address = Receiver.Url($"hooks/{person}").ToString() }],
    };

    public async ValueTask DisposeAsync()
    {
        await StopEnginesAsync();
        await _services.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}
