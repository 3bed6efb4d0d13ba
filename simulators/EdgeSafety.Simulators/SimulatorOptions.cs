using System.ComponentModel.DataAnnotations;
using EdgeSafety.Appliances;

namespace EdgeSafety.Simulators;

/// <summary>The simulated installation (section "Simulator"): serial lines and the devices on each.</summary>
public sealed class SimulatorOptions
{
    /// <summary>Folder of device profiles; by default the profiles shipped beside the program.</summary>
    public string ProfilesDirectory { get; set; } = Path.Combine(AppContext.BaseDirectory, "profiles");

    /// <summary>Seed of every random model, so a run can be reproduced exactly.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>How often the models move the devices' values.</summary>
    [Range(50, 60_000)]
    public int UpdateIntervalMilliseconds { get; set; } = 1_000;

    /// <summary>The serial lines served: the device end of each line (in the demo, one end of a socat pty pair).</summary>
    [Required, MinLength(1)]
    public List<SimulatedLine> Lines { get; set; } = [];

    [Required, MinLength(1)]
    public List<SimulatedDevice> Devices { get; set; } = [];
}

public sealed class SimulatedDevice
{
    /// <summary>The name the control API uses for this device.</summary>
    [Required]
    public string Name { get; set; } = string.Empty;

    [Required]
    public string Line { get; set; } = string.Empty;

    [Range(1, 247)]
    public int UnitId { get; set; }

    [Required]
    public string Profile { get; set; } = string.Empty;

    /// <summary>
    /// What drives the values: "household-meter" (with any meter profile: the values the profile has are served) or
    /// "noise" (with a noise profile: a street) or "noise-scenarios" (the same street, where the control API can start a
    /// noise scenario: PUT /devices/{name}/scenario).
    /// </summary>
    [Required]
    public string Model { get; set; } = string.Empty;

    /// <summary>The household a "household-meter" device measures.</summary>
    public SimulatedHousehold Household { get; set; } = new();
}

/// <summary>The household behind a simulated meter, from the appliance library (docs/appliances.md).</summary>
public sealed class SimulatedHousehold
{
    /// <summary>RentedRoom or FamilyFlat; empty draws it from the seed.</summary>
    public HouseholdKind? Kind { get; set; }

    /// <summary>Whether the household lives its day (lights, cooking, screens, refrigerator); false: only what the control API plugs in.</summary>
    public bool Schedule { get; set; } = true;

    /// <summary>Whether its day includes e-bike charging on its own (mostly evenings and nights); off by default, so only the control API charges.</summary>
    public bool ScheduledCharging { get; set; }

    /// <summary>Simulated seconds per real second: 60 lives an hour of the household's day in a minute.</summary>
    [Range(1, 3_600)]
    public double TimeScale { get; set; } = 1;

    public LiveHouseholdOptions ToOptions() => new() { Household = Kind, Schedule = Schedule, ScheduledCharging = ScheduledCharging };
}
