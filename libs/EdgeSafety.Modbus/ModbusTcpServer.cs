using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using EdgeSafety.Modbus.Native;
using EdgeSafety.Modbus.Server;

namespace EdgeSafety.Modbus;

/// <summary>
/// Modbus TCP server answering for several unit ids, one connection at a time. A request for a unit id it does not
/// serve gets exception 0x0B (gateway target device failed to respond), as a gateway answers.
/// </summary>
/// <remarks>
/// The listening socket and each accepted connection are .NET sockets; libmodbus is handed the connection's
/// descriptor (modbus_set_socket) to receive and answer requests, and given it back before the socket is closed.
/// </remarks>
public sealed class ModbusTcpServer : IDisposable
{
    private static readonly TimeSpan AcceptPoll = ServerContext.Indication;
    private readonly Socket _listener;
    private readonly ModbusContextHandle _context;
    private readonly ServerThread _thread;

    private ModbusTcpServer(Socket listener, ModbusContextHandle context)
    {
        _listener = listener;
        _context = context;
        _thread = new ServerThread($"Modbus TCP server {listener.LocalEndPoint}", new ServedUnits(0, 255), Serve);
    }

    /// <summary>The port listened on (useful after Listen with port 0).</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    public long RequestsServed => _thread.Units.Served;

    /// <summary>Malformed requests; the connection that sent one is closed.</summary>
    public long RequestsRejected => _thread.Units.Rejected;

    /// <summary>Requests for a unit id this server does not serve (answered with exception 0x0B).</summary>
    public long RequestsIgnored => _thread.Units.Ignored;

    /// <summary>Binds and listens at once (connections wait in the backlog until RunAsync).</summary>
    public static ModbusTcpServer Listen(string host, int port)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        var address = IPAddress.TryParse(host, out var parsed) ? parsed : Dns.GetHostAddresses(host)[0];
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // No ReuseAddress: on Linux .NET maps it to SO_REUSEPORT as well, and a second server could then bind the
            // same port unnoticed. .NET sets SO_REUSEADDR by itself, so a restarted server gets its port back while
            // the old connections are in TIME_WAIT.
            listener.Bind(new IPEndPoint(address, port));
            listener.Listen(1);
        }
        catch (SocketException ex)
        {
            listener.Dispose();
            throw new ModbusException(ModbusErrorKind.ConnectionFailed, ex.NativeErrorCode, null,
                $"Listening on {host}:{port}: {ex.Message}");
        }

        // The context only lends libmodbus's TCP framing to accepted sockets: it never connects or listens itself.
        try
        {
            var context = ContextSetup.Prepare(LibModbus.NewTcpPi(host, port.ToString(CultureInfo.InvariantCulture)),
                $"{host}:{port}", ServerContext.Configure, connect: false);
            return new ModbusTcpServer(listener, context);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    public void Add(byte unitId, RegisterBank bank) => _thread.Units.Add(unitId, bank);

    /// <summary>Serves on a dedicated thread until cancelled; the task then ends as cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => _thread.Start(cancellationToken);

    public void Dispose()
    {
        _thread.Dispose();
        _listener.Dispose();
        _context.Dispose();
    }

    private void Serve(CancellationToken cancellationToken)
    {
        var request = new byte[LibModbus.MaxAduLength];
        while (!cancellationToken.IsCancellationRequested)
        {
            if (_listener.Poll(AcceptPoll, SelectMode.SelectRead))
            {
                using var connection = _listener.Accept();
                connection.NoDelay = true;
                ServeConnection(connection, request, cancellationToken);
            }
        }
    }

    private unsafe void ServeConnection(Socket connection, byte[] request, CancellationToken cancellationToken)
    {
        NativeSettings.Check(LibModbus.SetSocket(_context, (int)connection.Handle), "modbus_set_socket");
        try
        {
            fixed (byte* buffer = request)
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    var length = LibModbus.Receive(_context, buffer);
                    if (length == -1)
                    {
                        var error = Marshal.GetLastPInvokeError();
                        if (error == Errno.ETIMEDOUT)
                        {
                            continue; // nothing within the indication timeout
                        }

                        if (error != Errno.ECONNRESET)
                        {
                            _thread.Units.CountRejected(); // the stream is out of step: drop the connection
                        }

                        return;
                    }

                    // MBAP header (7 bytes): transaction id, protocol id, length, unit id.
                    if (length > 0 && !_thread.Units.Answer(_context, buffer[6], buffer, length))
                    {
                        _ = LibModbus.ReplyException(_context, buffer, LibModbus.ExceptionGatewayTarget);
                    }
                }
            }
        }
        finally
        {
            // The socket owns the descriptor: libmodbus must not close it again (modbus_close in the context's release).
            _ = LibModbus.SetSocket(_context, -1);
        }
    }
}
