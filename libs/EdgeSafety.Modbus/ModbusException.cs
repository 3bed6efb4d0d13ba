using System.Globalization;
using EdgeSafety.Modbus.Native;

namespace EdgeSafety.Modbus;

public enum ModbusErrorKind
{
    /// <summary>No (complete) reply within the response timeout: ETIMEDOUT.</summary>
    Timeout,

    /// <summary>A reply arrived with a wrong CRC: EMBBADCRC.</summary>
    BadCrc,

    /// <summary>The slave answered with a Modbus exception; see <see cref="ModbusException.SlaveExceptionCode"/>.</summary>
    SlaveException,

    /// <summary>A reply that does not match the request (length, function, count, unit, exception frame).</summary>
    InvalidResponse,

    /// <summary>The device or connection could not be opened, or the link went away.</summary>
    ConnectionFailed,

    /// <summary>Any other operating system error on the line.</summary>
    Io,
}

/// <summary>A failed Modbus transaction. The message carries libmodbus's text and where it happened.</summary>
public sealed class ModbusException : Exception
{
    public ModbusException(ModbusErrorKind kind, int nativeError, byte? slaveExceptionCode, string message)
        : base(message)
    {
        Kind = kind;
        NativeError = nativeError;
        SlaveExceptionCode = slaveExceptionCode;
    }

    public ModbusErrorKind Kind { get; }

    /// <summary>The errno libmodbus set (an errno.h value, or MODBUS_ENOBASE + n for its own codes).</summary>
    public int NativeError { get; }

    /// <summary>The exception code of the slave's reply (2 = illegal data address, ...) for <see cref="ModbusErrorKind.SlaveException"/>.</summary>
    public byte? SlaveExceptionCode { get; }

    /// <summary>Builds the exception for errno <paramref name="error"/> after <paramref name="context"/> failed.</summary>
    internal static ModbusException FromErrno(int error, string context, ModbusErrorKind? kind = null)
    {
        byte? slaveCode = error is >= LibModbus.EmbXIlFun and <= LibModbus.EmbXGTar
            ? (byte)(error - LibModbus.ModbusEnoBase)
            : null;
        var resolved = kind ?? Classify(error);
        var message = string.Create(CultureInfo.InvariantCulture,
            $"{context}: {LibModbus.StrError(error)} (errno {error}{(slaveCode is { } code ? $", slave exception {code}" : string.Empty)})");
        return new ModbusException(resolved, error, resolved == ModbusErrorKind.SlaveException ? slaveCode : null, message);
    }

    private static ModbusErrorKind Classify(int error) => error switch
    {
        Errno.ETIMEDOUT => ModbusErrorKind.Timeout,
        LibModbus.EmbBadCrc => ModbusErrorKind.BadCrc,
        >= LibModbus.EmbXIlFun and <= LibModbus.EmbXGTar => ModbusErrorKind.SlaveException,
        LibModbus.EmbBadData or LibModbus.EmbBadExc or LibModbus.EmbUnkExc or LibModbus.EmbMData
            or LibModbus.EmbBadSlave => ModbusErrorKind.InvalidResponse,
        Errno.ECONNRESET or Errno.ECONNREFUSED or Errno.EPIPE or Errno.ENOTCONN or Errno.EBADF
            => ModbusErrorKind.ConnectionFailed,
        _ => ModbusErrorKind.Io,
    };
}
