using System.Diagnostics.CodeAnalysis;

namespace EdgeSafety.Contracts;

/// <summary>
/// The MQTT topic tree, version 1 (docs/protocol.md):
/// <c>edgesafety/v1/{site}/{gateway}/readings/{device}</c> and <c>edgesafety/v1/{site}/{gateway}/status</c>.
/// </summary>
public static class Topics
{
    public const string Root = "edgesafety/v1";

    /// <summary>Every reading of every gateway: what ingest and the dashboard subscribe to.</summary>
    public const string AllReadings = Root + "/+/+/readings/+";

    /// <summary>Every gateway's retained online/offline status.</summary>
    public const string AllStatus = Root + "/+/+/status";

    /// <summary>Identifiers used as topic segments: letters, digits, '-' and '_', 1 to 64 of them.</summary>
    public static bool IsValidId([NotNullWhen(true)] string? id) =>
        id is { Length: >= 1 and <= 64 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static string Readings(string site, string gateway, string device) =>
        $"{Root}/{Checked(site)}/{Checked(gateway)}/readings/{Checked(device)}";

    public static string Status(string site, string gateway) => $"{Root}/{Checked(site)}/{Checked(gateway)}/status";

    /// <summary>Where an installer's check sends its test message and waits for it to come back.</summary>
    public static string Check(string site, string gateway) => $"{Root}/{Checked(site)}/{Checked(gateway)}/check";

    /// <summary>Splits a readings topic into its site, gateway and device; false for any other topic.</summary>
    public static bool TryParseReadings(string topic, out ReadingSource source)
    {
        source = default;
        var parts = topic.Split('/');
        if (parts.Length != 6 || parts[0] != "edgesafety" || parts[1] != "v1" || parts[4] != "readings"
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

/// <summary>Where a reading comes from, as named by its topic.</summary>
public readonly record struct ReadingSource(string Site, string Gateway, string Device);
