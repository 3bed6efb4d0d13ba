using System.CommandLine;
using EdgeSafety.Mqtt;
using EdgeSafety.Provisioning;

// Writes the broker's starting access control from the registry, and a new random password for each service client
// (and each gateway named with --gateway) into an owner-only file: nothing secret is printed or passed on a command line.
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
    Description = "Overwrite an existing dynamic-security.json. The broker keeps enrolled gateways in it: a site replaces it only to start afresh",
};
var command = new RootCommand("Generate mosquitto's dynamic security file (roles, ACLs, service clients) from the registry; docs/security.md.")
{
    registry, output, gateways, replace,
};
command.SetAction(result =>
{
    var directory = result.GetValue(output)!.FullName;
    var file = Path.Combine(directory, "dynamic-security.json");
    if (File.Exists(file) && !result.GetValue(replace))
    {
        Console.Error.WriteLine($"{file} exists and holds the enrolled gateways; pass --replace to start afresh.");
        return 1;
    }

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

    SecretFile.Write(file, DynamicSecurityFile.Generate(withRoles, clients));
    Console.Out.WriteLine($"Wrote {file}: {withRoles.Count} gateway role(s), {clients.Count} client(s); passwords in {secrets.FullName}.");
    return 0;
});
return command.Parse(args).Invoke();
