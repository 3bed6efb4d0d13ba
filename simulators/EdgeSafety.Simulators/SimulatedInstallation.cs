using EdgeSafety.Appliances;
using EdgeSafety.Contracts;
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
            device =>
            {
                var profile = profiles.TryGetValue(device.Profile, out var found)
                    ? found
                    : throw Invalid(device, $"no profile '{device.Profile}' in {settings.ProfilesDirectory}");
                return new DeviceSimulation(device, profile, CreateModel(device, profile, new Random(random.Next())));
            },
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

    /// <summary>A model for the device; it must measure what the profile's kind of device measures.</summary>
    private static IValueModel CreateModel(SimulatedDevice device, DeviceProfile profile, Random random)
    {
        var (model, measures) = device.Model switch
        {
            "household-meter" => ((IValueModel)new HouseholdMeterModel(
                new LiveHousehold(random.Next(), DateTimeOffset.Now, device.Household.ToOptions()), device.Household.TimeScale), DeviceKind.Meter),
            "noise" => (new NoiseLevelModel(random), DeviceKind.Noise),
            "noise-scenarios" => (new NoiseScenarioModel(random), DeviceKind.Noise),
            _ => throw Invalid(device, $"model '{device.Model}' is not one of household-meter, noise, noise-scenarios"),
        };
        return profile.Kind == measures
            ? model
            : throw Invalid(device, $"model '{device.Model}' cannot drive profile '{profile.Model}', a {ReadingCodec.KindName(profile.Kind)} profile");
    }

    private static OptionsValidationException Invalid(SimulatedDevice device, string problem) =>
        new(nameof(SimulatorOptions), typeof(SimulatorOptions), [$"Simulator.Devices '{device.Name}': {problem}"]);
}
