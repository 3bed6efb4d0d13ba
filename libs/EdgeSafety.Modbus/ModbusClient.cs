using System.Globalization;
using System.Runtime.InteropServices;
using EdgeSafety.Modbus.Native;

namespace EdgeSafety.Modbus;

/// <summary>
/// Modbus master over RTU (one serial line) or TCP. Not thread-safe: one transaction at a time per instance,
/// and one instance per serial line. Every failed transaction is a <see cref="ModbusException"/>.
/// </summary>
public sealed class ModbusClient : IDisposable
{
    private readonly ModbusContextHandle _context;

    private ModbusClient(ModbusContextHandle context, string endpoint)
    {
        _context = context;
        Endpoint = endpoint;
    }

    /// <summary>The device path or host:port, as error messages name it.</summary>
    public string Endpoint { get; }

    public static ModbusClient ConnectRtu(SerialLineSettings line, TimeSpan responseTimeout)
    {
        ArgumentNullException.ThrowIfNull(line);
        line.Validate();
        NativeSettings.Split(responseTimeout, nameof(responseTimeout));
        var context = ContextSetup.Prepare(
            LibModbus.NewRtu(line.DevicePath, line.BaudRate, line.ParityCharacter, line.DataBits, line.StopBits),
            line.DevicePath, c => Configure(c, responseTimeout), connect: true);
        return new ModbusClient(context, line.DevicePath);
    }

    public static ModbusClient ConnectTcp(string host, int port, TimeSpan responseTimeout)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        NativeSettings.Split(responseTimeout, nameof(responseTimeout));
        var endpoint = string.Create(CultureInfo.InvariantCulture, $"{host}:{port}");
        // modbus_new_tcp_pi resolves with getaddrinfo, so host names and IPv6 work (modbus_new_tcp takes IPv4 only).
        var context = ContextSetup.Prepare(LibModbus.NewTcpPi(host, port.ToString(CultureInfo.InvariantCulture)),
            endpoint, c => Configure(c, responseTimeout), connect: true);
        return new ModbusClient(context, endpoint);
    }

    /// <summary>Reads destination.Length (1..125) registers starting at address.</summary>
    public unsafe void ReadRegisters(byte unitId, RegisterTable table, ushort address, Span<ushort> destination)
    {
        var request = Begin(new Request(unitId, address, destination.Length, table), LibModbus.MaxReadRegisters, nameof(destination));
        int read;
        fixed (ushort* pointer = destination)
        {
            read = table switch
            {
                RegisterTable.Holding => LibModbus.ReadRegisters(_context, address, destination.Length, pointer),
                RegisterTable.Input => LibModbus.ReadInputRegisters(_context, address, destination.Length, pointer),
                _ => throw new ArgumentOutOfRangeException(nameof(table), table, "Unknown register table."),
            };
        }

        End(read, request);
    }

    public void WriteRegister(byte unitId, ushort address, ushort value)
    {
        var request = Begin(new Request(unitId, address, 1, Table: null), 1, nameof(value));
        End(LibModbus.WriteRegister(_context, address, value), request);
    }

    /// <summary>Writes values.Length (1..123) holding registers starting at address.</summary>
    public unsafe void WriteRegisters(byte unitId, ushort address, ReadOnlySpan<ushort> values)
    {
        var request = Begin(new Request(unitId, address, values.Length, Table: null), LibModbus.MaxWriteRegisters, nameof(values));
        int written;
        fixed (ushort* pointer = values)
        {
            written = LibModbus.WriteRegisters(_context, address, values.Length, pointer);
        }

        End(written, request);
    }

    public void Dispose() => _context.Dispose();

    private static void Configure(ModbusContextHandle context, TimeSpan responseTimeout)
    {
        NativeSettings.Set(context, responseTimeout, LibModbus.SetResponseTimeout, "modbus_set_response_timeout");
        // On a reply that does not fit the request (bad CRC, wrong length...), drop what is left of it on the line
        // so the next transaction starts clean. Not LINK: on a timeout it would sleep one more response timeout.
        NativeSettings.Check(LibModbus.SetErrorRecovery(context, LibModbus.ErrorRecoveryProtocol), "modbus_set_error_recovery");
    }

    /// <summary>Checks the request's arguments and addresses its unit (modbus_set_slave).</summary>
    private Request Begin(Request request, int maximumCount, string countParameter)
    {
        if (request.Count < 1 || request.Count > maximumCount)
        {
            throw new ArgumentOutOfRangeException(countParameter, request.Count,
                $"Between 1 and {maximumCount} registers per transaction.");
        }

        if (request.Address + request.Count > 65536)
        {
            throw new ArgumentOutOfRangeException("address", request.Address, "The registers run past address 65535.");
        }

        ObjectDisposedException.ThrowIf(_context.IsClosed, this);
        // modbus_set_slave fails with EINVAL outside 0..247 on RTU (0..255 on TCP).
        if (LibModbus.SetSlave(_context, request.UnitId) == -1)
        {
            throw new ArgumentOutOfRangeException("unitId", request.UnitId,
                $"Unit id {request.UnitId} is not valid on {Endpoint}: {LibModbus.StrError(Marshal.GetLastPInvokeError())}.");
        }

        return request;
    }

    /// <summary>Turns a libmodbus result (values transferred, or -1 with errno) into success or a ModbusException.</summary>
    private void End(int result, Request request)
    {
        if (result == -1)
        {
            throw ModbusException.FromErrno(Marshal.GetLastPInvokeError(), request.Describe(Endpoint));
        }

        if (result != request.Count)
        {
            throw new ModbusException(ModbusErrorKind.InvalidResponse, 0, null,
                $"{request.Describe(Endpoint)}: the reply carried {result} value(s), {request.Count} expected");
        }
    }

    /// <summary>A transaction, described in words only when it fails (polling must not allocate).</summary>
    private readonly record struct Request(byte UnitId, ushort Address, int Count, RegisterTable? Table)
    {
        public string Describe(string endpoint) => Table is { } table
            ? string.Create(CultureInfo.InvariantCulture,
                $"Reading {Count} {table} register(s) at address {Address} from unit {UnitId} on {endpoint}")
            : string.Create(CultureInfo.InvariantCulture,
                $"Writing {Count} register(s) at address {Address} of unit {UnitId} on {endpoint}");
    }
}
