using System.Net;
using System.Net.Sockets;

namespace EdgeSafety.Mqtt.Tests;

/// <summary>
/// Forwards loopback TCP connections to a broker and can break them abruptly (RST, no DISCONNECT): what the broker sees
/// when a gateway loses power or its network, for a client that stays in this process.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private int _targetPort;
    private readonly Lock _sync = new();
    private readonly List<Socket> _sockets = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private bool _broken;

    public TcpRelay(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Resets every relayed connection and closes new ones at once, until <see cref="Restore"/>.</summary>
    public void BreakConnections()
    {
        lock (_sync)
        {
            _broken = true;
            foreach (var socket in _sockets)
            {
                socket.LingerState = new LingerOption(true, 0);
                socket.Close();
            }

            _sockets.Clear();
        }
    }

    /// <summary>Sends new connections to another port from now on (a broker listener with other TLS settings).</summary>
    public void Retarget(int port) => Volatile.Write(ref _targetPort, port);

    /// <summary>Relays new connections again.</summary>
    public void Restore()
    {
        lock (_sync)
        {
            _broken = false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        BreakConnections();
        await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, Volatile.Read(ref _targetPort), _stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
                client.Dispose();
                upstream.Dispose();
                continue;
            }

            lock (_sync)
            {
                if (_broken)
                {
                    client.Dispose();
                    upstream.Dispose();
                    continue;
                }

                _sockets.Add(client);
                _sockets.Add(upstream);
            }

            _ = PumpAsync(client, upstream);
            _ = PumpAsync(upstream, client);
        }
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Broken on purpose, or the other side went away.
        }
    }
}
