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

    private static byte[] Serialize(string gateway, string state) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["v"] = ReadingCodec.Version, ["gateway"] = gateway, ["state"] = state });
}
