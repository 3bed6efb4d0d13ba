namespace EdgeSafety.Appliances;

/// <summary>Rented rooms: one tenant, few appliances. Family flats: more appliances, more overlap.</summary>
public enum HouseholdKind
{
    RentedRoom,
    FamilyFlat,
}

/// <summary>
/// A span in which an appliance really drew power: a whole use for most, one compressor run for a refrigerator,
/// one thermostat burst for a water heater; so a false alarm can be traced to what switched on at that moment.
/// </summary>
public sealed record ApplianceInterval(string Appliance, ApplianceKind Kind, DateTimeOffset On, DateTimeOffset Off);

public sealed record ChargingStageInterval(ChargingStage Stage, DateTimeOffset Start, DateTimeOffset End);

/// <summary>
/// One e-bike charging session. ChargingEnded is when the charger stopped charging: a lithium charger's cut-off, or
/// the unplugging if that came first; a lead-acid charger charges (floats) until unplugged. Stages are clipped to
/// the unplugging; EnergyWh is taken from the mains between plug-in and ChargingEnded. A session may run past the
/// end of the generated window: its times are as planned.
/// </summary>
public sealed record ChargingSession(
    ApplianceKind Charger,
    DateTimeOffset PluggedIn,
    DateTimeOffset ChargingEnded,
    DateTimeOffset Unplugged,
    IReadOnlyList<ChargingStageInterval> Stages,
    double EnergyWh,
    double InitialStateOfCharge,
    double RatedCurrentA,
    double BatteryVoltageV);

/// <summary>What really happened in a generated household: every e-bike charging session and every appliance's running spans, ordered by start.</summary>
public sealed record GroundTruth(
    HouseholdKind Household,
    IReadOnlyList<ChargingSession> ChargingSessions,
    IReadOnlyList<ApplianceInterval> Appliances);
