using System.Runtime.InteropServices;

namespace EdgeSafety.Modbus.Native;

/// <summary>Timeouts as libmodbus takes them (uint32_t seconds, uint32_t microseconds, modbus.h), and checks of its setters.</summary>
internal static class NativeSettings
{
    private static readonly TimeSpan Longest = TimeSpan.FromHours(1);

    public static (uint Seconds, uint Microseconds) Split(TimeSpan timeout, string parameter)
    {
        // modbus_set_response_timeout rejects 0 s 0 us (EINVAL): the shortest is one microsecond.
        if (timeout < TimeSpan.FromTicks(TimeSpan.TicksPerMicrosecond) || timeout > Longest)
        {
            throw new ArgumentOutOfRangeException(parameter, timeout, "A timeout from 1 microsecond to 1 hour.");
        }

        var seconds = (uint)(timeout.Ticks / TimeSpan.TicksPerSecond);
        var microseconds = (uint)(timeout.Ticks % TimeSpan.TicksPerSecond / TimeSpan.TicksPerMicrosecond);
        return (seconds, microseconds);
    }

    public static void Set(ModbusContextHandle context, TimeSpan timeout,
        Func<ModbusContextHandle, uint, uint, int> setter, string function)
    {
        var (seconds, microseconds) = Split(timeout, nameof(timeout));
        Check(setter(context, seconds, microseconds), function);
    }

    /// <summary>Setters fail only on invalid arguments, which this library never passes: a failure is a bug.</summary>
    public static void Check(int result, string function)
    {
        if (result == -1)
        {
            var error = Marshal.GetLastPInvokeError();
            throw new InvalidOperationException($"{function} failed: {LibModbus.StrError(error)} (errno {error}).");
        }
    }
}
