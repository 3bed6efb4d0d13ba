namespace EdgeSafety.Contracts;

/// <summary>What a device measures, which decides how the platform treats its values.</summary>
public enum DeviceKind
{
    Meter,
    Noise,
}

/// <summary>
/// One poll of one device: the payload of a readings message (docs/protocol.md, version 1).
/// Values are named as in the protocol's value table (voltage_v, current_a, db_a, ...).
/// </summary>
public sealed record Reading(
    string Device,
    DeviceKind Kind,
    string Profile,
    string? Unit,
    long Sequence,
    DateTimeOffset Timestamp,
    IReadOnlyDictionary<string, double> Values);
