using Microsoft.Win32.SafeHandles;

namespace EdgeSafety.Modbus.Native;

/// <summary>A modbus_t*: closed (modbus_close) and freed (modbus_free) exactly once, never while a call uses it.</summary>
internal sealed class ModbusContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public ModbusContextHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        LibModbus.Close(handle);
        LibModbus.Free(handle);
        return true;
    }
}

/// <summary>A modbus_mapping_t*, freed with modbus_mapping_free.</summary>
internal sealed class ModbusMappingHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public ModbusMappingHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        LibModbus.MappingFree(handle);
        return true;
    }
}
