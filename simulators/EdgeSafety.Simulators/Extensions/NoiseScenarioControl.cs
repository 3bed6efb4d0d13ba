using EdgeSafety.Simulators.Models;
using EdgeSafety.Simulators.Noise;

namespace EdgeSafety.Simulators.Extensions;

public static class NoiseScenarioControl
{
    public sealed record ScenarioRequest(string Scenario);

    /// <summary>
    /// Noise scenarios on demand, for demos: list them, start one on a sensor whose model is "noise-scenarios", stop it.
    /// </summary>
    public static WebApplication MapNoiseScenarioControl(this WebApplication app)
    {
        app.MapGet("/noise-scenarios", () => NoiseScenarios.All.Select(s => new { s.Name, s.Description, s.Zone, Duration = s.Duration.ToString() }));

        app.MapPut("/devices/{name}/scenario", (string name, ScenarioRequest request, SimulatedInstallation installation) =>
        {
            if (!installation.Devices.TryGetValue(name, out var device))
            {
                return Results.NotFound(new { error = $"no simulated device '{name}'" });
            }

            if (device.Model is not NoiseScenarioModel model)
            {
                return Results.BadRequest(new { error = $"'{name}' does not run the noise-scenarios model" });
            }

            if (NoiseScenarios.Find(request.Scenario) is not { } scenario)
            {
                return Results.BadRequest(new { error = $"no scenario '{request.Scenario}'; there are {string.Join(", ", NoiseScenarios.All.Select(s => s.Name))}" });
            }

            model.Start(scenario);
            return Results.Ok(new { device = name, scenario = scenario.Name, duration = scenario.Duration.ToString() });
        });

        app.MapDelete("/devices/{name}/scenario", (string name, SimulatedInstallation installation) =>
        {
            if (!installation.Devices.TryGetValue(name, out var device) || device.Model is not NoiseScenarioModel model)
            {
                return Results.NotFound(new { error = $"no simulated device '{name}' running the noise-scenarios model" });
            }

            model.Stop();
            return Results.NoContent();
        });
        return app;
    }
}
