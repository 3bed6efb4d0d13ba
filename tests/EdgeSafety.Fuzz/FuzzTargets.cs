using EdgeSafety.Fuzz.Targets;

namespace EdgeSafety.Fuzz;

/// <summary>The in-process targets, by name; "web" needs a service's address and is made separately.</summary>
public static class FuzzTargets
{
    public static readonly IReadOnlyList<string> InProcess = ["readings", "events", "status", "commands", "registers", "profiles", "meter-csv", "noise-csv"];

    public static FuzzTarget Create(string name) => name switch
    {
        "readings" => new ReadingsTarget(),
        "events" => new DeviceEventsTarget(),
        "status" => new GatewayStatusTarget(),
        "commands" => new CommandsTarget(),
        "registers" => new RegistersTarget(),
        "profiles" => new ProfilesTarget(),
        "meter-csv" => new MeterCsvTarget(),
        "noise-csv" => new NoiseCsvTarget(),
        _ => throw new ArgumentException($"no fuzz target '{name}' (in process: {string.Join(", ", InProcess)}; web needs --base)", nameof(name)),
    };

    /// <summary>The web target against a running service, with the routes of <paramref name="routesFile"/> (ingest's by default).</summary>
    public static WebTarget Web(Uri baseAddress, string? routesFile, IReadOnlyList<string> headers) =>
        new(baseAddress, WebRoute.Parse(File.ReadAllText(routesFile ?? Path.Combine(AppContext.BaseDirectory, "ingest-routes.txt"))), headers);
}
