namespace EdgeSafety.Alerts;

/// <summary>What an alert is about; one open alert per subject and kind.</summary>
public enum AlertKind
{
    EbikeCharging,
    ChargingUnusuallyLong,
    NoiseExceedance,
    NightNoiseBurst,
    DeviceOffline,
    DeviceTampered,
    GatewayOffline,
}

/// <summary>
/// An analyser's statement that a condition holds (<see cref="Active"/> true: raise or refresh the alert) or has
/// ended (false: the condition cleared). The subject is the device at site and gateway; <see cref="Unit"/> is the
/// room or household it measures when known. Evidence is the figures that triggered it, named as in the protocol
/// (for example <c>power_w</c>, <c>laeq_db</c>, <c>confidence</c>), for the people who must act on it.
/// </summary>
public sealed record AlertSignal(
    AlertKind Kind,
    bool Active,
    string Site,
    string Gateway,
    string Device,
    string? Unit,
    DateTimeOffset At,
    IReadOnlyDictionary<string, string> Evidence);
