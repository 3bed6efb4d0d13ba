using System.Diagnostics.CodeAnalysis;

namespace EdgeSafety.Contracts;

/// <summary>
/// The MQTT topic tree, version 1 (docs/protocol.md):
/// <c>edgesafety/v1/{site}/{gateway}/readings/{device}</c>, <c>edgesafety/v1/{site}/{gateway}/events/{device}</c> and
/// <c>edgesafety/v1/{site}/{gateway}/status</c>.
/// </summary>
public static class Topics
{
    public const string Root = "edgesafety/v1";

    /// <summary>Every reading of every gateway: what ingest and the dashboard subscribe to.</summary>
    public const string AllReadings = Root + "/+/+/readings/+";

    /// <summary>Every device event (offline, online, tampered, restored) of every gateway.</summary>
    public const string AllEvents = Root + "/+/+/events/+";

    /// <summary>Every gateway's retained online/offline status.</summary>
    public const string AllStatus = Root + "/+/+/status";

    /// <summary>Identifiers used as topic segments: letters, digits, '-' and '_', 1 to 64 of them.</summary>
    public static bool IsValidId([NotNullWhen(true)] string? id) =>
        id is { Length: >= 1 and <= 64 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static string Readings(string site, string gateway, string device) =>
        $"{Root}/{Checked(site)}/{Checked(gateway)}/readings/{Checked(device)}";

    public static string Events(string site, string gateway, string device) =>
        $"{Root}/{Checked(site)}/{Checked(gateway)}/events/{Checked(device)}";

    public static string Status(string site, string gateway) => $"{Root}/{Checked(site)}/{Checked(gateway)}/status";

    /// <summary>Where the platform sends a command to one gateway (docs/protocol.md, "Commands").</summary>
    public static string Command(string site, string gateway, string command) =>
        $"{Root}/{Checked(site)}/{Checked(gateway)}/commands/{Checked(command)}";

    /// <summary>Every command to one gateway: what the gateway subscribes to.</summary>
    public static string AllCommands(string site, string gateway) => $"{Root}/{Checked(site)}/{Checked(gateway)}/commands/+";

    /// <summary>Where a gateway answers a command.</summary>
    public static string Reply(string site, string gateway, string command) =>
        $"{Root}/{Checked(site)}/{Checked(gateway)}/replies/{Checked(command)}";

    /// <summary>Every gateway's replies: what a sender of commands subscribes to.</summary>
    public const string AllReplies = Root + "/+/+/replies/+";

    /// <summary>Splits a command topic into its site, gateway and command; false for any other topic.</summary>
    public static bool TryParseCommand(string topic, out CommandTopic parsed) => TryParseCommandTopic(topic, "commands", out parsed);

    /// <summary>Splits a reply topic into its site, gateway and the command it answers; false for any other topic.</summary>
    public static bool TryParseReply(string topic, out CommandTopic parsed) => TryParseCommandTopic(topic, "replies", out parsed);

    /// <summary>The same shape as a device topic, with the command where the device is.</summary>
    private static bool TryParseCommandTopic(string topic, string kind, out CommandTopic parsed)
    {
        var matches = TryParseDeviceTopic(topic, kind, out var source);
        parsed = matches ? new CommandTopic(source.Site, source.Gateway, source.Device) : default;
        return matches;
    }

    /// <summary>Where an installer's check sends its test message and waits for it to come back.</summary>
    public static string Check(string site, string gateway) => $"{Root}/{Checked(site)}/{Checked(gateway)}/check";

    /// <summary>Splits a readings topic into its site, gateway and device; false for any other topic.</summary>
    public static bool TryParseReadings(string topic, out ReadingSource source) => TryParseDeviceTopic(topic, "readings", out source);

    /// <summary>Splits a device events topic into its site, gateway and device; false for any other topic.</summary>
    public static bool TryParseEvents(string topic, out ReadingSource source) => TryParseDeviceTopic(topic, "events", out source);

    private static bool TryParseDeviceTopic(string topic, string kind, out ReadingSource source)
    {
        source = default;
        var parts = topic.Split('/');
        if (parts.Length != 6 || parts[0] != "edgesafety" || parts[1] != "v1" || parts[4] != kind
            || !IsValidId(parts[2]) || !IsValidId(parts[3]) || !IsValidId(parts[5]))
        {
            return false;
        }

        source = new ReadingSource(parts[2], parts[3], parts[5]);
        return true;
    }

    private static string Checked(string id) =>
        IsValidId(id) ? id : throw new ArgumentException($"'{id}' is not a valid identifier (letters, digits, '-', '_'; 1-64).", nameof(id));
}

/// <summary>Where a reading or a device event comes from, as named by its topic.</summary>
public readonly record struct ReadingSource(string Site, string Gateway, string Device);

/// <summary>The gateway a command or reply topic names, and the command.</summary>
public readonly record struct CommandTopic(string Site, string Gateway, string Command);
