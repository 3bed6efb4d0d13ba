using EdgeSafety.Devices;
using EdgeSafety.Modbus;

namespace EdgeSafety.EdgeAgent;

/// <summary>Reads every value of one device through its read plan: the poller and the installer commands share it.</summary>
public static class DeviceReader
{
    /// <summary>All values, or a <see cref="ModbusException"/> from the first block that failed.</summary>
    public static Dictionary<string, double> Read(ModbusClient client, byte unitId, IReadOnlyList<RegisterBlock> plan)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        Span<ushort> registers = stackalloc ushort[ReadPlan.MaxRegistersPerRead];
        foreach (var block in plan)
        {
            var destination = registers[..block.Count];
            client.ReadRegisters(unitId, block.Table, block.Address, destination);
            ReadPlan.Decode(block, destination, values);
        }

        return values;
    }
}
