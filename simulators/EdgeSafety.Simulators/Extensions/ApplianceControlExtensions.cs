using EdgeSafety.Appliances;

namespace EdgeSafety.Simulators.Extensions;

/// <summary>
/// Plugging appliances in and out of a simulated household meter's circuit, so a demo or a test can say "an e-bike
/// charger is now charging in room 301".
/// </summary>
public static class ApplianceControlExtensions
{
    public static WebApplication MapApplianceControl(this WebApplication app)
    {
        // What is plugged in from outside, and every kind that can be.
        app.MapGet("/devices/{name}/appliances", (string name, SimulatedInstallation installation) =>
            WithHousehold(installation, name, household => Results.Ok(new
            {
                plugged = household.Plugged.Select(Describe),
                kinds = ApplianceCatalog.Kinds.Select(ApplianceCatalog.NameOf),
            })));

        // Plugs one in now; a charger's battery at stateOfCharge (0..1) if given, else drawn.
        app.MapPut("/devices/{name}/appliances/{appliance}", (string name, string appliance, double? stateOfCharge, SimulatedInstallation installation) =>
            WithHousehold(installation, name, household =>
            {
                if (!ApplianceCatalog.TryParse(appliance, out var kind))
                {
                    return Results.BadRequest(new { error = $"no appliance '{appliance}'; known: {string.Join(", ", ApplianceCatalog.Kinds.Select(ApplianceCatalog.NameOf))}" });
                }

                if (stateOfCharge is < 0 or > 1 || (stateOfCharge is not null && !ApplianceCatalog.IsCharger(kind)))
                {
                    return Results.BadRequest(new { error = "stateOfCharge is a charger's battery charge at plug-in, from 0 to 1" });
                }

                return Results.Ok(Describe(household.PlugIn(kind, stateOfCharge)));
            }));

        app.MapDelete("/devices/{name}/appliances/{appliance}", (string name, string appliance, SimulatedInstallation installation) =>
            WithHousehold(installation, name, household =>
                ApplianceCatalog.TryParse(appliance, out var kind) && household.Unplug(kind)
                    ? Results.NoContent()
                    : Results.NotFound(new { error = $"no '{appliance}' is plugged in on '{name}'" })));
        return app;
    }

    private static IResult WithHousehold(SimulatedInstallation installation, string name, Func<LiveHousehold, IResult> action)
    {
        if (!installation.Devices.TryGetValue(name, out var device))
        {
            return Results.NotFound(new { error = $"no simulated device '{name}'" });
        }

        return device.Household is { } household
            ? action(household)
            : Results.BadRequest(new { error = $"'{name}' is not a household meter (model '{device.Settings.Model}')" });
    }

    private static object Describe(PluggedAppliance appliance) => new
    {
        appliance = appliance.Name,
        pluggedIn = appliance.PluggedIn,
        stage = appliance.Stage?.ToString().ToLowerInvariant(),
        powerW = Math.Round(appliance.PowerW, 1),
    };
}
