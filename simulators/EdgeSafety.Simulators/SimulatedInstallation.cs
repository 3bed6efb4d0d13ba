using EdgeSafety.Devices;
using EdgeSafety.Simulators.Models;
using Microsoft.Extensions.Options;

namespace EdgeSafety.Simulators;

/// <summary>Every simulated device, built from the options and the profiles; the control API finds them here by name.</summary>
public sealed class SimulatedInstallation : IDisposable
{
    public SimulatedInstallation(IOptions<SimulatorOptions> options)
    {
        var settings = options.Value;
        var profiles = DeviceProfileLoader.LoadDirectory(settings.ProfilesDirectory);
        var random = new Random(settings.Seed);
        Devices = settings.Devices.ToDictionary(
            device => device.Name,
            device => new DeviceSimulation(
                device,
                profiles.TryGetValue(device.Profile, out var profile)
                    ? profile
                    : throw new OptionsValidationException(nameof(SimulatorOptions), typeof(SimulatorOptions),
                        [$"Simulator.Devices '{device.Name}': no profile '{device.Profile}' in {settings.ProfilesDirectory}"]),
                CreateModel(device, new Random(random.Next()))),
            StringComparer.Ordinal);
    }

    public IReadOnlyDictionary<string, DeviceSimulation> Devices { get; }

    public void Dispose()
    {
        foreach (var device in Devices.Values)
        {
            device.Dispose();
        }
    }

    private static IValueModel CreateModel(SimulatedDevice device, Random random) => device.Model switch
    {
        "household-meter" => new HouseholdMeterModel(random),
        "noise" => new NoiseLevelModel(random),
        _ => throw new OptionsValidationException(nameof(SimulatorOptions), typeof(SimulatorOptions),
            [$"Simulator.Devices '{device.Name}': model '{device.Model}' is not one of household-meter, noise"]),
    };
}
