using EdgeSafety.Modbus;

namespace EdgeSafety.Devices;

/// <summary>One Modbus read covering several values: a table, a start address and a register count.</summary>
public sealed record RegisterBlock(RegisterTable Table, ushort Address, int Count, IReadOnlyList<RegisterValue> Values);

/// <summary>
/// Groups a profile's values into as few reads as the bus allows: values of one table whose registers are
/// contiguous, or separated by at most the profile's gap, share one read of at most 125 registers (the
/// Modbus limit for function codes 3 and 4). Fewer transactions is what keeps an RS-485 bus within its budget.
/// </summary>
public static class ReadPlan
{
    public const int MaxRegistersPerRead = 125;

    public static IReadOnlyList<RegisterBlock> For(DeviceProfile profile)
    {
        var blocks = new List<RegisterBlock>();
        foreach (var table in profile.Values.GroupBy(v => v.Table).OrderBy(g => g.Key))
        {
            List<RegisterValue> current = [];
            var start = 0;
            var end = 0; // exclusive
            foreach (var value in table.OrderBy(v => v.Address))
            {
                var valueEnd = value.Address + value.RegisterCount;
                var fits = current.Count > 0
                    && value.Address - end <= profile.MaxGapRegisters
                    && Math.Max(end, valueEnd) - start <= MaxRegistersPerRead;
                if (!fits && current.Count > 0)
                {
                    blocks.Add(new RegisterBlock(table.Key, (ushort)start, end - start, current));
                    current = [];
                }

                if (current.Count == 0)
                {
                    start = value.Address;
                    end = valueEnd;
                }

                current.Add(value);
                end = Math.Max(end, valueEnd);
            }

            if (current.Count > 0)
            {
                blocks.Add(new RegisterBlock(table.Key, (ushort)start, end - start, current));
            }
        }

        return blocks;
    }

    /// <summary>
    /// Decodes the values of a block from the registers a read returned. A value that is not a finite number is left
    /// out, since a reading carries finite numbers only: meters answer a float32 NaN for "not available", and a scale
    /// can take a large raw value past double's range. Returns how many values were left out.
    /// </summary>
    public static int Decode(RegisterBlock block, ReadOnlySpan<ushort> registers, IDictionary<string, double> values)
    {
        var leftOut = 0;
        foreach (var value in block.Values)
        {
            var number = RegisterCodec.Decode(value, registers.Slice(value.Address - block.Address, value.RegisterCount));
            if (double.IsFinite(number))
            {
                values[value.Name] = number;
            }
            else
            {
                leftOut++;
            }
        }

        return leftOut;
    }
}
