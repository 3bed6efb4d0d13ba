using System.CommandLine;
using System.Text.Json;
using EdgeSafety.Mqtt;
using EdgeSafety.Provisioning;

// Writes the broker's starting access control from the registry, and a new random password for each service client
// (and each gateway named with --gateway) into an owner-only file: nothing secret is printed or passed on a command line.
// Run again over the broker's file, it keeps the gateways enrolled since (docs/security.md); --replace starts afresh.
var registry = new Option<FileInfo>("--registry") { Description = "The alert registry JSON (docs/alerts.md): its gateways get their roles", Required = true };
var output = new Option<DirectoryInfo>("--out")
{
    Description = "Where to write dynamic-security.json (the broker's plugin_opt_config_file) and secrets/<user>.password",
    Required = true,
};
var gateways = new Option<string[]>("--gateway")
{
    Description = "SITE/GATEWAY to give a client now (the demo's gateway); others are enrolled with a one-time code",
    AllowMultipleArgumentsPerToken = true,
};
var replace = new Option<bool>("--replace")
{
    Description = "Start afresh: drop the gateways enrolled since (by default an existing dynamic-security.json keeps every client this command does not generate)",
};
var command = new RootCommand("Generate mosquitto's dynamic security file (roles, ACLs, service clients) from the registry; docs/security.md.")
{
    registry, output, gateways, replace,
};
command.SetAction(result =>
{
    var directory = result.GetValue(output)!.FullName;
    var file = Path.Combine(directory, "dynamic-security.json");
    // The broker keeps the gateways enrolled (and forgets the revoked) in its file: they survive a new run of this command.
    var current = File.Exists(file) && !result.GetValue(replace) ? File.ReadAllText(file) : null;

    var registered = DynamicSecurityFile.RegistryGateways(File.ReadAllText(result.GetValue(registry)!.FullName));
    var withRoles = registered.ToHashSet();
    var clients = new List<BrokerClient>();
    foreach (var role in BrokerRoles.Services)
    {
        clients.Add(new BrokerClient(role.Name, BrokerPasswords.NewPassword(), [role.Name]));
    }

    foreach (var named in result.GetValue(gateways) ?? [])
    {
        if (named.Split('/') is not [var site, var gateway])
        {
            Console.Error.WriteLine($"--gateway '{named}' is not SITE/GATEWAY.");
            return 2;
        }

        var username = BrokerRoles.GatewayUsername(site, gateway);
        withRoles.Add((site, gateway));
        clients.Add(new BrokerClient(username, BrokerPasswords.NewPassword(), [username]));
    }

    string document;
    IReadOnlyList<string> kept;
    try
    {
        document = current is null ? DynamicSecurityFile.Generate(withRoles, clients) : DynamicSecurityFile.Regenerate(current, withRoles, clients);
        kept = current is null ? [] : DynamicSecurityFile.KeptClients(current, clients);
    }
    catch (JsonException ex)
    {
        Console.Error.WriteLine($"{file} is not the broker's dynamic security JSON ({ex.Message}); pass --replace to start afresh.");
        return 1;
    }

    var secrets = Directory.CreateDirectory(Path.Combine(directory, "secrets"));
    if (!OperatingSystem.IsWindows())
    {
        File.SetUnixFileMode(secrets.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    foreach (var client in clients)
    {
        // ':' is valid in a file name, but awkward in a shell: gateway:site:gw becomes gateway-site-gw.password.
        SecretFile.Write(Path.Combine(secrets.FullName, client.Username.Replace(':', '-') + ".password"), client.Password);
    }

    SecretFile.Write(file, document);
    Console.Out.WriteLine($"Wrote {file}: {withRoles.Count} gateway role(s), {clients.Count} client(s) with new passwords in {secrets.FullName}, "
        + $"{kept.Count} enrolled client(s) kept{(kept.Count > 0 ? ": " + string.Join(", ", kept) : "")}.");
    return 0;
});
return command.Parse(args).Invoke();
