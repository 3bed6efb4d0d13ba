namespace EdgeSafety.Modbus;

/// <summary>
/// Who switches an RS-485 transceiver between sending and receiving (modbus_rtu_set_rts(3)). The values are
/// modbus-rtu.h's MODBUS_RTU_RTS_NONE, MODBUS_RTU_RTS_UP and MODBUS_RTU_RTS_DOWN.
/// </summary>
public enum Rs485RtsMode
{
    /// <summary>The adapter switches direction itself (most USB RS-485 adapters): RTS is left alone.</summary>
    None = 0,

    /// <summary>RTS high while sending, low while receiving.</summary>
    Up = 1,

    /// <summary>RTS low while sending, high while receiving.</summary>
    Down = 2,
}
