using EdgeSafety.Modbus.Native;

namespace EdgeSafety.Modbus.Server;

/// <summary>Settings every server context gets.</summary>
internal static class ServerContext
{
    /// <summary>
    /// How long a server waits for a request before it looks at its cancellation token: modbus_receive's indication
    /// timeout (it returns ETIMEDOUT, "nothing yet"; without it, it blocks for ever), the RTU server's first poll.
    /// </summary>
    public static readonly TimeSpan Indication = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// modbus_reply, before an ILLEGAL_DATA_VALUE exception reply, sleeps the response timeout and flushes the line
    /// (to drop the rest of a malformed request). It holds the bank's lock then: keep it short.
    /// </summary>
    private static readonly TimeSpan ReplyFlushWait = TimeSpan.FromMilliseconds(10);

    public static void Configure(ModbusContextHandle context)
    {
        NativeSettings.Set(context, Indication, LibModbus.SetIndicationTimeout, "modbus_set_indication_timeout");
        NativeSettings.Set(context, ReplyFlushWait, LibModbus.SetResponseTimeout, "modbus_set_response_timeout");
        // PROTOCOL: after a malformed request modbus_receive/modbus_reply flush the line instead of leaving the
        // stream out of step. Not LINK: it would make a server context reconnect as a client (TCP) or close and reopen
        // the descriptor this library reads from (RTU).
        NativeSettings.Check(LibModbus.SetErrorRecovery(context, LibModbus.ErrorRecoveryProtocol), "modbus_set_error_recovery");
    }
}
