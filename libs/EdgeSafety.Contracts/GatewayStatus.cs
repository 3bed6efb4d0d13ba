using System.Text.Json;

namespace EdgeSafety.Contracts;

/// <summary>
/// A gateway's presence, published retained on its status topic: "online" when it connects, and "offline"
/// as its will message, which the broker publishes when the gateway vanishes without a clean disconnect. "online"
/// may list the keys of the recorded warnings the gateway can play, so the platform offers only those.
/// </summary>
public static class GatewayStatus
{
    /// <summary>The online status; with warnings, the keys a warn command may name (empty: the gateway plays no warning).</summary>
    public static byte[] Online(string gateway, IEnumerable<string>? warnings = null)
    {
        var status = Status(gateway, "online");
        if (warnings is not null)
        {
            status["warnings"] = warnings.Order(StringComparer.Ordinal).ToArray();
        }

        return JsonSerializer.SerializeToUtf8Bytes(status);
    }

    public static byte[] Offline(string gateway) => JsonSerializer.SerializeToUtf8Bytes(Status(gateway, "offline"));

    /// <summary>As the overload below, without the warnings.</summary>
    public static bool TryParse(string topic, ReadOnlySpan<byte> payload, out string site, out string gateway, out bool online) =>
        TryParse(topic, payload, out site, out gateway, out online, out _);

    /// <summary>
    /// Reads a status message: the site and gateway from its topic, online or not from its payload, and the recorded
    /// warnings' keys it announced (null when it did not say: an older agent, an offline status; keys that are not
    /// identifiers are left out). False for any other topic, a payload that is not a status of the same gateway, or an
    /// unknown state.
    /// </summary>
    public static bool TryParse(string topic, ReadOnlySpan<byte> payload, out string site, out string gateway, out bool online,
        out IReadOnlyList<string>? warnings)
    {
        (site, gateway, online, warnings) = ("", "", false, null);
        if (!Topics.TryParseStatus(topic, out var topicSite, out var topicGateway))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(payload.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("gateway", out var named) || named.GetString() != topicGateway
                || !root.TryGetProperty("state", out var state) || state.GetString() is not ("online" or "offline"))
            {
                return false;
            }

            (site, gateway, online) = (topicSite, topicGateway, state.GetString() == "online");
            if (root.TryGetProperty("warnings", out var keys) && keys.ValueKind == JsonValueKind.Array)
            {
                warnings = [.. keys.EnumerateArray().Where(k => k.ValueKind == JsonValueKind.String).Select(k => k.GetString()!).Where(Topics.IsValidId)];
            }

            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    private static Dictionary<string, object> Status(string gateway, string state) => new() { ["v"] = ReadingCodec.Version, ["gateway"] = gateway, ["state"] = state };
}
