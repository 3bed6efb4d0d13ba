using EdgeSafety.Mqtt;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Provisioning.Tests;

/// <summary>
/// One broker as shipped (TLS only, no anonymous clients, dynamic security generated from a registry of two gateways
/// of one site) for a test class, with the password of every client it was generated with.
/// </summary>
public sealed class SecuredBroker : IAsyncLifetime
{
    public const string Site = "site-a";
    public const string GatewayA = "gw-a";
    public const string GatewayB = "gw-b";

    private readonly Dictionary<string, string> _passwords = [];

    public TestCertificates Certificates { get; } = TestCertificates.Create();

    public MosquittoBroker Broker { get; private set; } = null!;

    public static string Registry => $$"""
        { "sites": [{ "id": "{{Site}}", "name": "A" }],
          "gateways": [{ "site": "{{Site}}", "gateway": "{{GatewayA}}", "building": "b" }, { "site": "{{Site}}", "gateway": "{{GatewayB}}", "building": "b" }] }
        """;

    public string PasswordOf(string username) => _passwords[username];

    /// <summary>Settings of a TLS client that trusts the test CA, logging in as the user (null: anonymous) with its generated password or the one given.</summary>
    public MqttClientOptions Options(string? username, string? password = null) => new()
    {
        Host = Broker.Host,
        Port = Broker.Port,
        TlsCaFile = Certificates.CaFile,
        ClientId = $"t-{Guid.NewGuid():N}"[..20],
        Username = username,
        Password = password ?? (username is null ? null : PasswordOf(username)),
        ReconnectDelayMaxSeconds = 1,
    };

    public async Task InitializeAsync()
    {
        string[] users = [BrokerRoles.GatewayUsername(Site, GatewayA), BrokerRoles.GatewayUsername(Site, GatewayB), "ingest", "dashboard", "observer", "provisioning"];
        foreach (var user in users)
        {
            _passwords[user] = BrokerPasswords.NewPassword();
        }

        // A gateway's role is named as its user; a service's user is named as its role.
        var json = DynamicSecurityFile.Generate(DynamicSecurityFile.RegistryGateways(Registry),
            users.Select(u => new BrokerClient(u, _passwords[u], [u])));
        Broker = await MosquittoBroker.StartSecuredAsync(Certificates, json);
    }

    public async Task DisposeAsync()
    {
        await Broker.DisposeAsync();
        Certificates.Dispose();
    }
}
