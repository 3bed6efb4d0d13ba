using EdgeSafety.Contracts;

namespace EdgeSafety.Provisioning;

/// <summary>
/// One access rule of mosquitto's dynamic security plugin, of a type from dynamic_security.h (publishClientSend,
/// publishClientReceive, subscribePattern); every rule we write allows (the defaults deny).
/// </summary>
public sealed record BrokerAcl(string Type, string Topic);

/// <summary>A named set of rules, given to one or more broker clients.</summary>
public sealed record BrokerRole(string Name, IReadOnlyList<BrokerAcl> Acls);

/// <summary>
/// Who may do what on the broker (docs/security.md): each gateway publishes only under its own topics and reads only
/// its own commands and check messages; ingest and the dashboard read what they show and publish only the commands
/// they send. Everything not granted here is denied (<see cref="DynamicSecurityFile"/> sets the defaults to deny).
/// </summary>
public static class BrokerRoles
{
    public const string PublishClientSend = "publishClientSend";
    public const string PublishClientReceive = "publishClientReceive";
    public const string SubscribePattern = "subscribePattern";

    /// <summary>The service clients of a site broker and the role each one gets (its username is the role's name).</summary>
    public static readonly IReadOnlyList<BrokerRole> Services = [Ingest(), Dashboard(), Observer(), Provisioning()];

    /// <summary>Ids cannot hold ':' (letters, digits, '-', '_'), so the name is unambiguous.</summary>
    public static string GatewayUsername(string site, string gateway) =>
        Topics.IsValidId(site) && Topics.IsValidId(gateway)
            ? $"gateway:{site}:{gateway}"
            : throw new ArgumentException($"'{site}' / '{gateway}' is not a valid site / gateway id (letters, digits, '-', '_'; 1-64).");

    public static BrokerRole Gateway(string site, string gateway)
    {
        var own = $"{Topics.Root}/{site}/{gateway}";
        var check = Topics.Check(site, gateway);
        return new BrokerRole(GatewayUsername(site, gateway),
        [
            new(PublishClientSend, $"{own}/readings/#"),
            new(PublishClientSend, $"{own}/events/#"),
            new(PublishClientSend, Topics.Status(site, gateway)),
            new(PublishClientSend, $"{own}/replies/#"),
            new(PublishClientSend, check),
            .. Read($"{own}/commands/#"),
            .. Read(check),
        ]);
    }

    /// <summary>Ingest: readings (plain and partitioned), device events, gateway status and replies; sends on-site warnings only.</summary>
    private static BrokerRole Ingest() => new("ingest", [.. PlatformReads(), new(PublishClientSend, $"{Topics.Root}/+/+/commands/warn")]);

    /// <summary>The dashboard: what it shows, and any command to any gateway (it is the platform's sender of commands).</summary>
    private static BrokerRole Dashboard() => new("dashboard", [.. PlatformReads(), new(PublishClientSend, $"{Topics.Root}/+/+/commands/+")]);

    /// <summary>Read-only access to everything of ours (all protocol versions), for an operator's mosquitto_sub (the demo prints how).</summary>
    private static BrokerRole Observer() => new("observer", Read("edgesafety/#"));

    /// <summary>The dashboard's second connection, which creates and deletes gateway clients through the plugin's control topic.</summary>
    private static BrokerRole Provisioning() => new("provisioning",
    [
        new(PublishClientSend, DynamicSecurityControl.Topic),
        .. Read(DynamicSecurityControl.ResponseTopic),
    ]);

    private static BrokerAcl[] PlatformReads() =>
    [
        .. Read($"{Topics.Root}/+/+/readings/#"),
        .. Read(Topics.AllEvents),
        .. Read(Topics.AllStatus),
        .. Read(Topics.AllReplies),
    ];

    private static BrokerAcl[] Read(string filter) => [new(SubscribePattern, filter), new(PublishClientReceive, filter)];
}
