using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using EdgeSafety.Modbus.Native;

namespace EdgeSafety.Modbus;

/// <summary>
/// Modbus master over RTU (one serial line) or TCP. Not thread-safe: one transaction at a time per instance,
/// and one instance per serial line. Every failed transaction is a <see cref="ModbusException"/>.
/// </summary>
/// <remarks>
/// On a serial line a request starts only once the line has been silent for the inter-frame gap since the end of the
/// previous transaction (Modbus over Serial Line V1.02, 2.5.1.1): libmodbus sends at once, and a device still
/// receiving would take the two frames for one.
/// </remarks>
public sealed class ModbusClient : IDisposable
{
    private readonly ModbusContextHandle _context;
    private readonly long _gapTicks;

    /// <summary>When the previous transaction ended (a <see cref="Stopwatch"/> timestamp).</summary>
    private long _quietSince;

    private ModbusClient(ModbusContextHandle context, string endpoint, TimeSpan interFrameGap)
    {
        _context = context;
        Endpoint = endpoint;
        _gapTicks = (long)(interFrameGap.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>The device path or host:port, as error messages name it.</summary>
    public string Endpoint { get; }

    /// <summary>
    /// Opens a serial line as its master. <paramref name="interFrameGap"/> is the silence kept between transactions,
    /// by default <see cref="RtuWireTime.InterFrameSilence"/>. With an <paramref name="rtsMode"/> other than None the
    /// port is switched to RS-485 mode and RTS driven around every request, which needs a serial driver that supports
    /// RS-485 (a pty or a plain RS-232 port fails with ConnectionFailed, saying so).
    /// </summary>
    public static ModbusClient ConnectRtu(SerialLineSettings line, TimeSpan responseTimeout,
        Rs485RtsMode rtsMode = Rs485RtsMode.None, TimeSpan? interFrameGap = null)
    {
        ArgumentNullException.ThrowIfNull(line);
        line.Validate();
        NativeSettings.Split(responseTimeout, nameof(responseTimeout));
        if (!Enum.IsDefined(rtsMode))
        {
            throw new ArgumentOutOfRangeException(nameof(rtsMode), rtsMode, "Unknown RTS mode.");
        }

        var gap = interFrameGap ?? RtuWireTime.InterFrameSilence(line);
        ArgumentOutOfRangeException.ThrowIfLessThan(gap, TimeSpan.Zero, nameof(interFrameGap));
        var context = ContextSetup.Prepare(
            LibModbus.NewRtu(line.DevicePath, line.BaudRate, line.ParityCharacter, line.DataBits, line.StopBits),
            line.DevicePath, c => Configure(c, responseTimeout), connect: true,
            connected: rtsMode == Rs485RtsMode.None ? null : c => SetRts(c, line.DevicePath, rtsMode));
        return new ModbusClient(context, line.DevicePath, gap);
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
        return new ModbusClient(context, endpoint, TimeSpan.Zero);
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

    /// <summary>RS-485 mode first (the kernel driver's TIOCSRS485), then RTS, as modbus_rtu_set_rts(3) shows.</summary>
    private static void SetRts(ModbusContextHandle context, string device, Rs485RtsMode mode)
    {
        if (LibModbus.RtuSetSerialMode(context, LibModbus.RtuSerialModeRs485) == -1)
        {
            throw ModbusException.FromErrno(Marshal.GetLastPInvokeError(),
                $"Switching {device} to RS-485 mode for RTS mode {mode} (needs a serial driver with RS-485 support; RTS mode None leaves direction switching to the adapter)",
                ModbusErrorKind.ConnectionFailed);
        }

        if (LibModbus.RtuSetRts(context, (int)mode) == -1)
        {
            throw ModbusException.FromErrno(Marshal.GetLastPInvokeError(), $"Setting RTS mode {mode} on {device}", ModbusErrorKind.ConnectionFailed);
        }
    }

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
        KeepInterFrameGap();
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
        _quietSince = Stopwatch.GetTimestamp();
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

    /// <summary>Waits until the line has been silent for the gap since the previous transaction ended.</summary>
    private unsafe void KeepInterFrameGap()
    {
        var remaining = _quietSince + _gapTicks - Stopwatch.GetTimestamp();
        if (_gapTicks == 0 || remaining <= 0)
        {
            return;
        }

        var nanoseconds = remaining * 1_000_000_000 / Stopwatch.Frequency;
        var request = new LibC.TimeSpec { Seconds = (nint)(nanoseconds / 1_000_000_000), Nanoseconds = (nint)(nanoseconds % 1_000_000_000) };
        LibC.TimeSpec left;
        while (LibC.NanoSleep(&request, &left) == -1 && Marshal.GetLastPInvokeError() == Errno.EINTR)
        {
            request = left;
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
