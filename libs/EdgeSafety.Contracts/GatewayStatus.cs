using System.Text.Json;

namespace EdgeSafety.Contracts;

/// <summary>
/// A gateway's presence, published retained on its status topic: "online" when it connects, and "offline"
/// as its will message, which the broker publishes when the gateway vanishes without a clean disconnect.
/// </summary>
public static class GatewayStatus
{
    public static byte[] Online(string gateway) => Serialize(gateway, "online");

    public static byte[] Offline(string gateway) => Serialize(gateway, "offline");

    /// <summary>
    /// Reads a status message: the site and gateway from its topic, online or not from its payload. False for any
    /// other topic, a payload that is not a status of the same gateway, or an unknown state.
    /// </summary>
    public static bool TryParse(string topic, ReadOnlySpan<byte> payload, out string site, out string gateway, out bool online)
    {
        (site, gateway, online) = ("", "", false);
        var parts = topic.Split('/');
        if (parts.Length != 5 || $"{parts[0]}/{parts[1]}" != Topics.Root || parts[4] != "status" || !Topics.IsValidId(parts[2]) || !Topics.IsValidId(parts[3]))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(payload.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("gateway", out var named) || named.GetString() != parts[3]
                || !root.TryGetProperty("state", out var state) || state.GetString() is not ("online" or "offline"))
            {
                return false;
            }

            (site, gateway, online) = (parts[2], parts[3], state.GetString() == "online");
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    private static byte[] Serialize(string gateway, string state) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["v"] = ReadingCodec.Version, ["gateway"] = gateway, ["state"] = state });
}
