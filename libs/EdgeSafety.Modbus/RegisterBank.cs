using System.Runtime.InteropServices;
using EdgeSafety.Modbus.Native;

namespace EdgeSafety.Modbus;

/// <summary>
/// One slave's registers (a native modbus_mapping_t). Thread-safe: a lock guards the native memory, and servers
/// hold the same lock while they build a reply, so a value written as several registers (a float32) is never
/// sent half old, half new.
/// </summary>
public sealed class RegisterBank : IDisposable
{
    // A Modbus address is 16 bits: 65,536 registers at most per table.
    private const int MaxRegisters = 65536;
    private readonly Lock _sync = new();
    private readonly ModbusMappingHandle _mapping;
    private bool _disposed;
    private bool _silent;

    public RegisterBank(int holdingRegisterCount, int inputRegisterCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(holdingRegisterCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(holdingRegisterCount, MaxRegisters);
        ArgumentOutOfRangeException.ThrowIfNegative(inputRegisterCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(inputRegisterCount, MaxRegisters);
        _mapping = LibModbus.MappingNew(0, 0, holdingRegisterCount, inputRegisterCount);
        if (_mapping.IsInvalid)
        {
            var error = Marshal.GetLastPInvokeError();
            _mapping.Dispose();
            throw new InvalidOperationException($"modbus_mapping_new failed: {LibModbus.StrError(error)} (errno {error}).");
        }

        HoldingRegisterCount = holdingRegisterCount;
        InputRegisterCount = inputRegisterCount;
    }

    public int HoldingRegisterCount { get; }

    /// <summary>
    /// A silent bank answers nothing, as a device that lost power or its wiring: an RTU server leaves its requests
    /// unanswered, a TCP server answers them as a gateway whose target does not respond (exception 0x0B).
    /// </summary>
    public bool Silent
    {
        get => Volatile.Read(ref _silent);
        set => Volatile.Write(ref _silent, value);
    }

    public int InputRegisterCount { get; }

    /// <summary>Writes values at address; ArgumentOutOfRangeException if they do not fit in the table.</summary>
    public void Write(RegisterTable table, ushort address, ReadOnlySpan<ushort> values)
    {
        lock (_sync)
        {
            values.CopyTo(Registers(table, address, values.Length));
        }
    }

    public void Read(RegisterTable table, ushort address, Span<ushort> destination)
    {
        lock (_sync)
        {
            Registers(table, address, destination.Length).CopyTo(destination);
        }
    }

    public void Dispose()
    {
        lock (_sync)
        {
            _disposed = true;
            _mapping.Dispose();
        }
    }

    /// <summary>
    /// modbus_reply for a request to this bank's unit, under the bank's lock. Returns false, doing nothing, once the
    /// bank is disposed; otherwise modbus_reply's result and errno.
    /// </summary>
    internal unsafe bool TryReply(ModbusContextHandle context, byte* request, int length, out int result, out int error)
    {
        lock (_sync)
        {
            if (_disposed)
            {
                result = -1;
                error = 0;
                return false;
            }

            result = LibModbus.Reply(context, request, length, _mapping);
            error = result == -1 ? Marshal.GetLastPInvokeError() : 0;
            return true;
        }
    }

    /// <summary>The registers [address, address + length) of a table. The caller holds _sync.</summary>
    private unsafe Span<ushort> Registers(RegisterTable table, ushort address, int length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var mapping = (ModbusMapping*)_mapping.DangerousGetHandle();
        ushort* registers;
        int count;
        switch (table)
        {
            case RegisterTable.Holding:
                registers = mapping->TabRegisters;
                count = mapping->NbRegisters;
                break;
            case RegisterTable.Input:
                registers = mapping->TabInputRegisters;
                count = mapping->NbInputRegisters;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(table), table, "Unknown register table.");
        }

        if (address + length > count)
        {
            throw new ArgumentOutOfRangeException(nameof(address), address,
                $"{length} {table} register(s) at {address} do not fit in a bank of {count}.");
        }

        return new Span<ushort>(registers + address, length);
    }
}
