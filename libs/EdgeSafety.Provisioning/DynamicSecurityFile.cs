using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeSafety.Provisioning;

/// <summary>A broker client to create: its username (also its role's name for a service) and its password in clear.</summary>
public sealed record BrokerClient(string Username, string Password, IReadOnlyList<string> Roles);

/// <summary>
/// The starting state of mosquitto's dynamic security plugin (plugin_opt_config_file), generated from the registry:
/// one role per gateway of the registry, the service roles, and the clients given. Never edited by hand; the broker
/// then keeps it current itself as gateways are enrolled and revoked over <see cref="DynamicSecurityControl"/>.
/// </summary>
public static class DynamicSecurityFile
{
    /// <summary>
    /// mosquitto 2.0.11 hashes with PBKDF2-HMAC-SHA512 (plugins/dynamic-security, pw__hash), 12-byte salt, and reads the
    /// iteration count from the file. 101 is its own default: our passwords are 192-bit random, so stretching adds nothing.
    /// </summary>
    private const int Iterations = 101;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Generate(IEnumerable<(string Site, string Gateway)> gateways, IEnumerable<BrokerClient> clients) =>
        Document(gateways, clients).ToJsonString(Indented);

    /// <summary>
    /// As <see cref="Generate"/>, over the plugin's current file (the broker's own, holding the gateways enrolled since
    /// it was generated): the roles and clients generated now replace those of the same name, and every other client
    /// and role (an enrolled gateway's) is kept as the broker wrote it, password hash included. A revoked gateway is no
    /// longer in the broker's file, so it stays revoked.
    /// </summary>
    /// <exception cref="JsonException">The current file is not the plugin's JSON.</exception>
    public static string Regenerate(string currentJson, IEnumerable<(string Site, string Gateway)> gateways, IEnumerable<BrokerClient> clients)
    {
        var document = Document(gateways, clients);
        var current = JsonNode.Parse(currentJson) as JsonObject ?? throw new JsonException("The file is not a JSON object.");
        Keep(current, document, "clients", "username");
        Keep(current, document, "roles", "rolename");
        Keep(current, document, "groups", "groupname");
        return document.ToJsonString(Indented);
    }

    /// <summary>The usernames of the current file's clients that <see cref="Regenerate"/> keeps (not generated anew).</summary>
    public static IReadOnlyList<string> KeptClients(string currentJson, IEnumerable<BrokerClient> clients)
    {
        var generated = clients.Select(c => c.Username).ToHashSet(StringComparer.Ordinal);
        return [.. Entries(JsonNode.Parse(currentJson) as JsonObject, "clients", "username").Select(e => e.Name).Where(n => !generated.Contains(n))];
    }

    /// <summary>Appends to the generated array every entry of the current one whose name the generated array lacks.</summary>
    private static void Keep(JsonObject current, JsonObject generated, string array, string nameField)
    {
        var target = (JsonArray)generated[array]!;
        var names = Entries(generated, array, nameField).Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (_, entry) in Entries(current, array, nameField).Where(e => !names.Contains(e.Name)))
        {
            target.Add(entry.DeepClone());
        }
    }

    private static IEnumerable<(string Name, JsonObject Entry)> Entries(JsonObject? document, string array, string nameField)
    {
        if (document?[array] is not JsonArray entries)
        {
            yield break;
        }

        foreach (var entry in entries.OfType<JsonObject>())
        {
            if (entry[nameField] is JsonValue value && value.TryGetValue<string>(out var name))
            {
                yield return (name, entry);
            }
        }
    }

    private static JsonObject Document(IEnumerable<(string Site, string Gateway)> gateways, IEnumerable<BrokerClient> clients)
    {
        var roles = new JsonArray();
        foreach (var role in BrokerRoles.Services.Concat(gateways.Select(g => BrokerRoles.Gateway(g.Site, g.Gateway))))
        {
            roles.Add(DynamicSecurityControl.RoleJson(role));
        }

        var clientArray = new JsonArray();
        foreach (var client in clients)
        {
            var salt = RandomNumberGenerator.GetBytes(12);
            var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(client.Password), salt, Iterations, HashAlgorithmName.SHA512, 64);
            clientArray.Add(new JsonObject
            {
                ["username"] = client.Username,
                ["password"] = Convert.ToBase64String(hash),
                ["salt"] = Convert.ToBase64String(salt),
                ["iterations"] = Iterations,
                ["roles"] = new JsonArray([.. client.Roles.Select(r => (JsonNode)new JsonObject { ["rolename"] = r })]),
            });
        }

        var document = new JsonObject
        {
            ["clients"] = clientArray,
            ["groups"] = new JsonArray(),
            ["roles"] = roles,
            // Deny what no role allows; receiving too, so a subscription never carries another gateway's messages.
            ["defaultACLAccess"] = new JsonObject
            {
                ["publishClientSend"] = false,
                ["publishClientReceive"] = false,
                ["subscribe"] = false,
                ["unsubscribe"] = true,
            },
        };
        return document;
    }

    /// <summary>The gateways of an alert registry file (docs/alerts.md, "gateways": [{ "site", "gateway" }]).</summary>
    public static IReadOnlyList<(string Site, string Gateway)> RegistryGateways(string registryJson)
    {
        using var document = JsonDocument.Parse(registryJson);
        if (!document.RootElement.TryGetProperty("gateways", out var gateways) || gateways.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return [.. gateways.EnumerateArray().Select(g => (Text(g, "site"), Text(g, "gateway")))];
    }

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FormatException($"A gateway of the registry has no \"{name}\": {element.GetRawText()}");
}
