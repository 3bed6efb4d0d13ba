using EdgeSafety.Contracts;
using EdgeSafety.Modbus;

namespace EdgeSafety.Devices;

public enum RegisterType
{
    Int16,
    UInt16,
    Int32,
    UInt32,
    Float32,
}

/// <summary>Order of the two 16-bit registers of a 32-bit value. Most meters send the high word first.</summary>
public enum WordOrder
{
    HighFirst,
    LowFirst,
}

/// <summary>Order of the two bytes inside each register. Modbus is big-endian; a few devices swap.</summary>
public enum ByteOrder
{
    BigEndian,
    Swapped,
}

/// <summary>One value a device exposes: where it lives and how its registers become a number.</summary>
public sealed record RegisterValue(
    string Name,
    RegisterTable Table,
    ushort Address,
    RegisterType Type,
    WordOrder WordOrder,
    ByteOrder ByteOrder,
    double Scale,
    string Unit)
{
    public int RegisterCount => Type is RegisterType.Int16 or RegisterType.UInt16 ? 1 : 2;
}

/// <summary>
/// A device model's register map, loaded from a profile file (docs/device-profiles.md). Adding a device
/// model is adding a file: no code knows any vendor's addresses.
/// </summary>
public sealed record DeviceProfile(
    string Model,
    DeviceKind Kind,
    string Description,
    int MaxGapRegisters,
    IReadOnlyList<RegisterValue> Values);
