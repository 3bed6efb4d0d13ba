using System.Text.Json.Nodes;
using EdgeSafety.Alerts;
using EdgeSafety.Alerts.Store;
using EdgeSafety.Contracts;
using EdgeSafety.Mqtt;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeSafety.Dashboard.Tests;

/// <summary>
/// One broker and one dashboard process for the tests of a class, over the demo registry plus a second site in
/// another warden's area (so scoping has something to hide). The test writes alerts into the shared store as
/// ingest does, from this process, and publishes readings and gateway replies on the real broker.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public static readonly IReadOnlyList<DashboardAccount> Accounts =
    [
        .. DashboardServer.DemoAccounts,
        new("warden-far", "warden", Person: "warden-wu", Area: "tianhe"),
        new("landlord3", "landlord", Person: "landlord-wu"),
        new("lockme", "landlord", Person: "landlord-chen"),
        new("resetme", "warden", Person: "warden-zhou", Area: "nanzhou"),
    ];

    private readonly TemporaryDirectory _directory = new("dashboard-tests");
    private AlertDatabase? _database;

    public MosquittoBroker Broker { get; private set; } = null!;

    public InfluxServer Influx { get; private set; } = null!;

    public DashboardServer Server { get; private set; } = null!;

    public AlertStore Store { get; private set; } = null!;

    public MqttClient Publisher { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Broker = await MosquittoBroker.StartAsync();
        Influx = await InfluxServer.StartAsync();
        var registry = JsonNode.Parse(await File.ReadAllTextAsync(RepositoryPaths.File("ingest", "EdgeSafety.Ingest", "alert-registry.demo.json")))!;
        registry["sites"]!.AsArray().Add(JsonNode.Parse("""{ "id": "tianhe-demo", "name": "Tianhe" }"""));
        registry["buildings"]!.AsArray().Add(JsonNode.Parse("""{ "id": "block-9", "site": "tianhe-demo", "name": "Block 9", "area": "tianhe", "latitude": 23.13, "longitude": 113.33 }"""));
        registry["units"]!.AsArray().Add(JsonNode.Parse("""{ "id": "room-901", "building": "block-9", "name": "Room 901", "landlord": "landlord-wu" }"""));
        registry["people"]!.AsArray().Add(JsonNode.Parse("""{ "id": "landlord-wu", "name": "Wu Fang", "role": "Landlord" }"""));
        registry["people"]!.AsArray().Add(JsonNode.Parse("""{ "id": "warden-wu", "name": "Wu Gang", "role": "Warden", "area": "tianhe" }"""));
        registry["devices"]!.AsArray().Add(JsonNode.Parse("""{ "site": "tianhe-demo", "device": "meter-901", "unit": "room-901" }"""));
        registry["gateways"]!.AsArray().Add(JsonNode.Parse("""{ "site": "tianhe-demo", "gateway": "gw-09", "building": "block-9" }"""));
        var registryPath = _directory.Combine("registry.json");
        await File.WriteAllTextAsync(registryPath, registry.ToJsonString());

        Server = await DashboardServer.StartAsync(Accounts, registryPath, $"--Mqtt:Port={Broker.Port}", $"--Influx:BaseAddress={Influx.BaseAddress}",
            $"--Mqtt:ClientId=dashboard-test-{Guid.NewGuid():N}", "--Dashboard:CommandTimeout=00:00:05");
        _database = AlertDatabase.Create(new AlertStoreOptions { SqlitePath = Server.AlertStorePath });
        Store = new AlertStore(_database);
        Publisher = new MqttClient(new MqttClientOptions { Port = Broker.Port, ClientId = $"dashboard-test-publisher-{Guid.NewGuid():N}" },
            NullLogger<MqttClient>.Instance);
        await Publisher.ConnectAsync(CancellationToken.None);
    }

    /// <summary>Raises an alert in the shared store the way ingest's engine does (nobody to notify).</summary>
    public async Task<Alert> RaiseAsync(AlertKind kind, string site, string gateway, string device, string? unit, string? building)
    {
        var signal = new AlertSignal(kind, true, site, gateway, device, unit, DateTimeOffset.UtcNow, new Dictionary<string, string> { ["power_w"] = "612" });
        var outcome = await Store.RecordSignalAsync(signal, unit, building, DateTimeOffset.UtcNow,
            new AlertTimings(TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(10), TimeSpan.FromDays(30)), [], CancellationToken.None);
        return outcome.Alert!;
    }

    /// <summary>A reading as a gateway publishes it.</summary>
    public Task PublishReadingAsync(string site, string gateway, string device, double powerW, long seq) =>
        Publisher.PublishAsync(Topics.Readings(site, gateway, device), ReadingCodec.Serialize(new Reading(device, DeviceKind.Meter, "harmonic-meter", null, seq,
            DateTimeOffset.UtcNow, new Dictionary<string, double> { ["power_w"] = powerW })), MqttQos.AtLeastOnce);

    public async Task<DashboardSession> SignInAsync(string name) => await DashboardSession.SignedInAsync(Server.BaseAddress, name, Server.Passwords[name]);

    public async Task DisposeAsync()
    {
        var errors = Server?.ErrorLines().ToList() ?? [];
        await Publisher.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        await Broker.DisposeAsync();
        await Influx.DisposeAsync();
        _directory.Dispose();
        errors.Should().BeEmpty("the dashboard must log no error during the tests");
    }
}

/// <summary>The dashboard's test classes share one broker and one dashboard (starting them is most of the time).</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard";
}
