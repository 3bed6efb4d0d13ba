using EdgeSafety.Devices;
using Microsoft.Extensions.Options;

namespace EdgeSafety.EdgeAgent;

/// <summary>The profiles the configured devices use, loaded once from the profiles folder.</summary>
public sealed class DeviceProfiles(IReadOnlyDictionary<string, DeviceProfile> byModel)
{
    public DeviceProfile this[string model] => byModel[model];

    public bool Contains(string model) => byModel.ContainsKey(model);

    public static DeviceProfiles Load(IOptions<AgentOptions> options) =>
        new(DeviceProfileLoader.LoadDirectory(options.Value.ProfilesDirectory));
}

/// <summary>Checks what DataAnnotations cannot: that names refer to things that exist, and nothing is defined twice.</summary>
public sealed class AgentOptionsReferences : IValidateOptions<AgentOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        var failures = new List<string>();
        DeviceProfiles? profiles = null;
        try
        {
            profiles = DeviceProfiles.Load(Options.Create(options));
        }
        catch (DeviceProfileException ex)
        {
            failures.Add($"Agent.ProfilesDirectory: {ex.Message}");
        }

        var busNames = options.Buses.Select(b => b.Name).Concat(options.TcpEndpoints.Select(e => e.Name)).ToList();
        if (busNames.Count == 0)
        {
            failures.Add("Agent.Buses: no serial bus and no TCP endpoint (Agent.TcpEndpoints) is configured");
        }

        foreach (var duplicate in busNames.GroupBy(name => name).Where(g => g.Count() > 1))
        {
            failures.Add($"Agent.Buses: the name '{duplicate.Key}' is used twice (names are unique among buses and TCP endpoints)");
        }

        foreach (var duplicate in options.Devices.GroupBy(d => d.Id).Where(g => g.Count() > 1))
        {
            failures.Add($"Agent.Devices: the id '{duplicate.Key}' is used twice");
        }

        foreach (var clash in options.Devices.GroupBy(d => (d.Bus, d.UnitId)).Where(g => g.Count() > 1))
        {
            failures.Add($"Agent.Devices: {string.Join(" and ", clash.Select(d => d.Id))} share unit id {clash.Key.UnitId} on bus '{clash.Key.Bus}'");
        }

        for (var i = 0; i < options.Devices.Count; i++)
        {
            var device = options.Devices[i];
            if (!busNames.Contains(device.Bus))
            {
                failures.Add($"Agent.Devices[{i}].Bus: '{device.Bus}' is not one of the configured buses ({string.Join(", ", busNames)})");
            }

            // A missing profile name is reported by the [Required] check.
            if (profiles is not null && device.Profile is not null && !profiles.Contains(device.Profile))
            {
                failures.Add($"Agent.Devices[{i}].Profile: no profile '{device.Profile}' in {options.ProfilesDirectory}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
