using System.Runtime.InteropServices;

namespace EdgeSafety.Modbus.Native;

internal static class ContextSetup
{
    /// <summary>
    /// Takes what modbus_new_rtu / modbus_new_tcp_pi returned (call it as the argument, so its errno is the last one),
    /// configures it and, if asked, connects it (modbus_connect opens and sets up the serial device, or connects
    /// the socket), then runs <paramref name="connected"/> (settings that need the open device). On any failure the
    /// context is released and a ModbusException (ConnectionFailed) thrown.
    /// </summary>
    public static ModbusContextHandle Prepare(ModbusContextHandle created, string endpoint,
        Action<ModbusContextHandle> configure, bool connect, Action<ModbusContextHandle>? connected = null)
    {
        if (created.IsInvalid)
        {
            var error = Marshal.GetLastPInvokeError();
            created.Dispose();
            throw ModbusException.FromErrno(error, $"Creating a Modbus context for {endpoint}", ModbusErrorKind.ConnectionFailed);
        }

        try
        {
            configure(created);
            if (connect && LibModbus.Connect(created) == -1)
            {
                throw ModbusException.FromErrno(Marshal.GetLastPInvokeError(), $"Connecting to {endpoint}",
                    ModbusErrorKind.ConnectionFailed);
            }

            connected?.Invoke(created);
        }
        catch
        {
            created.Dispose();
            throw;
        }

        return created;
    }
}
