using EdgeSafety.Devices;
using EdgeSafety.Modbus;

namespace EdgeSafety.EdgeAgent;

/// <summary>Reads a device's values through its read plan: the poller and the installer commands share it.</summary>
public static class DeviceReader
{
    /// <summary>All values, or a <see cref="ModbusException"/> from the first block that failed.</summary>
    public static Dictionary<string, double> Read(ModbusClient client, byte unitId, IReadOnlyList<RegisterBlock> plan)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var block in plan)
        {
            ReadBlock(client, unitId, block, values);
        }

        return values;
    }

    /// <summary>
    /// One transaction: the block's registers, decoded into values (those that are not a finite number left out, see
    /// <see cref="ReadPlan.Decode"/>); a <see cref="ModbusException"/> if it failed.
    /// </summary>
    public static void ReadBlock(ModbusClient client, byte unitId, RegisterBlock block, Dictionary<string, double> values)
    {
        Span<ushort> registers = stackalloc ushort[ReadPlan.MaxRegistersPerRead];
        var destination = registers[..block.Count];
        client.ReadRegisters(unitId, block.Table, block.Address, destination);
        _ = ReadPlan.Decode(block, destination, values);
    }
}
