using EdgeSafety.Modbus.Native;

namespace EdgeSafety.Modbus.Server;

/// <summary>The unit ids a server answers for, each with its register bank, and the server's counters.</summary>
internal sealed class ServedUnits(int lowestUnitId, int highestUnitId)
{
    private readonly Dictionary<byte, RegisterBank> _banks = [];
    private bool _frozen;
    private long _served;
    private long _rejected;
    private long _ignored;

    public long Served => Interlocked.Read(ref _served);

    public long Rejected => Interlocked.Read(ref _rejected);

    public long Ignored => Interlocked.Read(ref _ignored);

    public void Add(byte unitId, RegisterBank bank)
    {
        ArgumentNullException.ThrowIfNull(bank);
        if (unitId < lowestUnitId || unitId > highestUnitId)
        {
            throw new ArgumentOutOfRangeException(nameof(unitId), unitId,
                $"Unit ids from {lowestUnitId} to {highestUnitId} on this server.");
        }

        lock (_banks)
        {
            if (_frozen)
            {
                throw new InvalidOperationException("Add every unit before RunAsync.");
            }

            if (!_banks.TryAdd(unitId, bank))
            {
                throw new ArgumentException($"Unit {unitId} is already served.", nameof(unitId));
            }
        }
    }

    /// <summary>No more Add: from here the serving thread reads the table without a lock.</summary>
    public void Freeze()
    {
        lock (_banks)
        {
            _frozen = true;
        }
    }

    public void CountRejected() => Interlocked.Increment(ref _rejected);

    /// <summary>Replies to a request for one unit; false (counted as ignored) if this server does not serve it or it is silent.</summary>
    public unsafe bool Answer(ModbusContextHandle context, byte unitId, byte* request, int length)
    {
        if (!_banks.TryGetValue(unitId, out var bank) || bank.Silent)
        {
            Interlocked.Increment(ref _ignored);
            return false;
        }

        if (Reply(context, bank, request, length))
        {
            Interlocked.Increment(ref _served);
        }

        return true;
    }

    /// <summary>An RTU broadcast (unit 0): every bank applies it; modbus_reply sends no response to a broadcast.</summary>
    public unsafe void AnswerBroadcast(ModbusContextHandle context, byte* request, int length)
    {
        var applied = false;
        foreach (var bank in _banks.Values)
        {
            applied |= Reply(context, bank, request, length);
        }

        if (applied)
        {
            Interlocked.Increment(ref _served);
        }
    }

    private static unsafe bool Reply(ModbusContextHandle context, RegisterBank bank, byte* request, int length)
    {
        if (!bank.TryReply(context, request, length, out var result, out var error))
        {
            return false;
        }

        // modbus_reply (3.1.6) answers an unknown function code with an ILLEGAL_FUNCTION exception itself, but for
        // FC 0x07 (read exception status) it returns -1 with ENOPROTOOPT and sends nothing: answer that one too.
        if (result == -1 && error == Errno.ENOPROTOOPT)
        {
            result = LibModbus.ReplyException(context, request, LibModbus.ExceptionIllegalFunction);
        }

        return result != -1;
    }
}
