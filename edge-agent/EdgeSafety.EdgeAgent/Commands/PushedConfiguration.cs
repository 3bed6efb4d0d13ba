using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeSafety.EdgeAgent.Commands;

/// <summary>
/// What a site configuration pushed over MQTT (the "config" command) may change on a gateway (docs/protocol.md, "What
/// a configuration push may change"): the site's serial buses, Modbus TCP endpoints and devices, and nothing about
/// where the agent reads its files from. Whoever may push (the dashboard's admins and installers) must not be able to
/// point a gateway at a folder or a device file of their choosing: settings outside the allow-list are refused before
/// the configuration is validated or written, each named.
/// </summary>
public static class PushedConfiguration
{
    /// <summary>Settings of the Agent section a push may set; '*' is a list index.</summary>
    private static readonly HashSet<string> Allowed = new(StringComparer.OrdinalIgnoreCase)
    {
        // Checked by SiteConfiguration: they may only repeat the running ids.
        "SiteId", "GatewayId",
        "Buses", "Buses:*:Name", "Buses:*:DevicePath", "Buses:*:BaudRate", "Buses:*:Parity", "Buses:*:DataBits", "Buses:*:StopBits",
        "Buses:*:Rs485RtsMode", "Buses:*:ResponseTimeoutMilliseconds", "Buses:*:InterFrameGapMilliseconds", "Buses:*:Retries",
        "TcpEndpoints", "TcpEndpoints:*:Name", "TcpEndpoints:*:Host", "TcpEndpoints:*:Port", "TcpEndpoints:*:ResponseTimeoutMilliseconds",
        "TcpEndpoints:*:Retries",
        "Devices", "Devices:*:Id", "Devices:*:Bus", "Devices:*:UnitId", "Devices:*:Profile", "Devices:*:Unit", "Devices:*:PollIntervalMilliseconds",
    };

    /// <summary>Device nodes of serial adapters, which a push may name besides the ports the gateway already polls.</summary>
    private static readonly string[] SerialDevicePrefixes = ["/dev/tty", "/dev/serial/"];

    /// <summary>
    /// Why the push is refused (one entry per setting, none: it may be applied), and the site configuration document
    /// to apply: the pushed section, with the gateway's own ProfilesDirectory kept when the push does not name it.
    /// </summary>
    public static (IReadOnlyList<string> Refusals, string Document) Check(string agentSection, AgentOptions running)
    {
        var document = $$"""{"Agent":{{agentSection}}}""";
        IConfigurationRoot pushed;
        JsonObject section;
        try
        {
            pushed = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(document))).Build();
            section = JsonNode.Parse(agentSection) as JsonObject ?? throw new JsonException("not an object");
        }
        // Whatever cannot be read is refused by SiteConfiguration, with the reason.
        catch (Exception ex) when (ex is FormatException or InvalidDataException or JsonException or InvalidOperationException or ArgumentException)
        {
            return ([], document);
        }

        var refusals = new List<string>();
        var profilesNamed = false;
        foreach (var (key, value) in pushed.GetSection("Agent").AsEnumerable(makePathsRelative: true))
        {
            if (value is null)
            {
                continue; // a section holding others, named by its own settings' keys
            }

            var segments = key.Split(':');
            var pattern = string.Join(':', segments.Select(s => s.All(char.IsAsciiDigit) ? "*" : s));
            var setting = "Agent" + string.Concat(segments.Select(s => s.All(char.IsAsciiDigit) ? $"[{s}]" : "." + s));
            if (string.Equals(pattern, nameof(AgentOptions.ProfilesDirectory), StringComparison.OrdinalIgnoreCase))
            {
                profilesNamed = true;
                if (value != running.ProfilesDirectory)
                {
                    refusals.Add($"{setting}: the profiles folder is set on the gateway, a push may not change it");
                }
            }
            else if (!Allowed.Contains(pattern))
            {
                refusals.Add($"{setting}: not a setting a configuration push may change");
            }
            else if (string.Equals(pattern, "Buses:*:DevicePath", StringComparison.OrdinalIgnoreCase) && !MayName(value, running))
            {
                refusals.Add($"{setting}: '{value}' is neither a serial port of the running configuration nor a serial device (/dev/tty*, /dev/serial/...)");
            }
        }

        if (!profilesNamed && running.ProfilesDirectory != new AgentOptions().ProfilesDirectory)
        {
            section[nameof(AgentOptions.ProfilesDirectory)] = running.ProfilesDirectory;
            document = new JsonObject { ["Agent"] = section }.ToJsonString();
        }

        return (refusals, document);
    }

    private static bool MayName(string devicePath, AgentOptions running) =>
        running.Buses.Any(bus => bus.DevicePath == devicePath)
        || (Path.IsPathFullyQualified(devicePath) && Path.GetFullPath(devicePath) == devicePath
            && SerialDevicePrefixes.Any(prefix => devicePath.StartsWith(prefix, StringComparison.Ordinal)));
}
