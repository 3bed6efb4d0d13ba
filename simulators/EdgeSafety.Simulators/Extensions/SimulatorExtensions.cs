using EdgeSafety.ServiceDefaults;

namespace EdgeSafety.Simulators.Extensions;

public static class SimulatorExtensions
{
    public static IHostApplicationBuilder AddSimulatorServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<SimulatorOptions>("Simulator")
            .Validate(o => o.Devices.All(d => o.Lines.Any(l => l.Name == d.Line)), "Simulator.Devices: every device's Line must name one of Simulator.Lines")
            .Validate(o => o.Devices.Select(d => d.Name).Distinct().Count() == o.Devices.Count, "Simulator.Devices: names must be unique")
            .Validate(o => o.Devices.GroupBy(d => (d.Line, d.UnitId)).All(g => g.Count() == 1), "Simulator.Devices: two devices share a unit id on one line");
        builder.Services.AddSingleton<SimulatedInstallation>();
        builder.Services.AddHostedService<LineServers>();
        return builder;
    }

    /// <summary>
    /// A loopback control API for demos and tests: read every device's current values, pin some values
    /// (a voltage drop, a loud party), release them, make a device silent and let it answer again. It listens where Kestrel is told to (127.0.0.1 by default).
    /// </summary>
    public static WebApplication MapSimulatorControl(this WebApplication app)
    {
        app.MapGet("/devices", (SimulatedInstallation installation) =>
            installation.Devices.ToDictionary(d => d.Key, d => d.Value.Snapshot()));

        app.MapPut("/devices/{name}/pinned", (string name, Dictionary<string, double> values, SimulatedInstallation installation) =>
        {
            if (!installation.Devices.TryGetValue(name, out var device))
            {
                return Results.NotFound(new { error = $"no simulated device '{name}'" });
            }

            try
            {
                device.Pin(values);
                return Results.Ok(device.Snapshot());
            }
            catch (ArgumentException ex)
            {
                return Results.BadRequest(new { error = ex.Message });
            }
        });

        app.MapDelete("/devices/{name}/pinned", (string name, SimulatedInstallation installation) =>
        {
            if (!installation.Devices.TryGetValue(name, out var device))
            {
                return Results.NotFound(new { error = $"no simulated device '{name}'" });
            }

            device.ReleasePins();
            return Results.NoContent();
        });

        // A device that stops answering (unplugged, dead) and comes back.
        app.MapPut("/devices/{name}/silent", (string name, SimulatedInstallation installation) => SetSilent(installation, name, silent: true));
        app.MapDelete("/devices/{name}/silent", (string name, SimulatedInstallation installation) => SetSilent(installation, name, silent: false));
        return app.MapApplianceControl();
    }

    private static IResult SetSilent(SimulatedInstallation installation, string name, bool silent)
    {
        if (!installation.Devices.TryGetValue(name, out var device))
        {
            return Results.NotFound(new { error = $"no simulated device '{name}'" });
        }

        device.Registers.Silent = silent;
        return Results.NoContent();
    }
}
