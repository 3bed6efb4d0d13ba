using System.Net;
using System.Net.Sockets;

namespace EdgeSafety.TestSupport;

public static class LoopbackPort
{
    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago; the kernel picks it, so parallel tests do not collide.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until something accepts TCP connections on the port.</summary>
    public static async Task WaitUntilListeningAsync(int port, ExternalProcess owner, TimeSpan timeout)
    {
        await Eventually.SucceedsAsync(async () =>
        {
            owner.ThrowIfExited();
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
        }, timeout, $"{owner.Name} listening on 127.0.0.1:{port}");
    }
}
