using System.Diagnostics;
using System.Text.Json;
using EdgeSafety.Alerts;
using EdgeSafety.Analytics.Noise;
using EdgeSafety.Contracts;
using EdgeSafety.Dashboard.Access;
using EdgeSafety.Dashboard.Accounts;
using EdgeSafety.Dashboard.Gateways;
using EdgeSafety.Dashboard.Live;

namespace EdgeSafety.Dashboard.Endpoints;

public sealed record GatewaySummary(string Gateway, string? Building, string Status, DateTimeOffset? StatusAt);

public sealed record SiteView(string Id, string Name, IReadOnlyList<GatewaySummary> Gateways);

/// <summary>A device on the installer's screen; <paramref name="NoiseZone"/> is the zone class set here (null: ingest's noise settings).</summary>
public sealed record DeviceView(string Device, string? Kind, string? Profile, string? Unit, string? Building, IReadOnlyDictionary<string, double>? Values,
    DateTimeOffset? Ts, bool? Answering, string? LastEvent, DateTimeOffset? LastEventAt, string? NoiseZone);

/// <summary>A gateway and its devices; <paramref name="ZoneClasses"/> are the classes a noise sensor may be given.</summary>
public sealed record GatewayView(string Site, string Gateway, string? Building, string Status, DateTimeOffset? StatusAt, IReadOnlyList<DeviceView> Devices,
    IReadOnlyList<string> ZoneClasses);

public sealed record AssignmentRequest(string? Unit, string? Building);

/// <summary>A noise sensor's GB 3096-2008 zone class; null or empty returns it to ingest's noise settings.</summary>
public sealed record NoiseZoneRequest(string? Zone);

public sealed record NoiseZoneView(string Site, string Device, string? Zone);

public sealed record CheckStep(string Name, bool Ok, string Detail, double Ms);

public sealed record CheckResult(bool Ok, IReadOnlyList<CheckStep> Steps);

/// <summary>
/// Commissioning, for installers (their sites) and admins: gateways and whether they are online, each gateway's
/// devices with their live values and whether they answer, the gateway's own diagnostics, assigning a device to a
/// unit, a noise sensor's zone class, and the end-to-end check from the platform's side.
/// </summary>
public static class InstallerEndpoints
{
    /// <summary>A device whose latest reading is older than this does not count as sending.</summary>
    private static readonly TimeSpan RecentReading = TimeSpan.FromMinutes(2);

    public static void MapInstallerEndpoints(this IEndpointRouteBuilder app)
    {
        var installer = app.MapGroup("/api").RequireAuthorization(DashboardPolicies.Installer);
        installer.MapGet("/sites", (UserScope scope, LiveHub live) =>
        {
            var registry = scope.Registry.Document;
            var seen = live.Gateways.Select(g => (g.Site, g.Gateway));
            var known = registry.Gateways.Select(g => (g.Site, g.Gateway));
            return registry.Sites.Select(s => s.Id).Union(live.Gateways.Select(g => g.Site)).Where(scope.CanSeeSite).Order(StringComparer.Ordinal)
                .Select(site => new SiteView(site, registry.Sites.FirstOrDefault(s => s.Id == site)?.Name ?? site,
                    [.. known.Union(seen).Where(g => g.Site == site).Select(g => g.Gateway).Order(StringComparer.Ordinal)
                        .Select(gateway => Summary(site, gateway, scope, live))]))
                .ToList();
        });

        installer.MapGet("/gateways/{site}/{gateway}", (string site, string gateway, UserScope scope, LiveHub live) =>
        {
            if (!scope.CanSeeSite(site))
            {
                return NoGateway(site, gateway);
            }

            var summary = Summary(site, gateway, scope, live);
            var readings = live.Latest.Where(r => r.Site == site && r.Gateway == gateway).ToDictionary(r => r.Device);
            var devices = readings.Keys.Union(scope.Registry.Document.Devices.Where(d => d.Site == site && live.Health(site, gateway, d.Device) is not null)
                    .Select(d => d.Device))
                .Order(StringComparer.Ordinal)
                .Select(device => Device(site, gateway, device, readings.GetValueOrDefault(device), scope.Registry, live))
                .ToList();
            return summary.StatusAt is null && devices.Count == 0 && scope.Registry.BuildingOfGateway(site, gateway) is null
                ? NoGateway(site, gateway)
                : Results.Ok(new GatewayView(site, gateway, summary.Building, summary.Status, summary.StatusAt, devices, [.. ZoneClasses.Gb3096.Names]));
        });

        installer.MapPost("/gateways/{site}/{gateway}/diagnostics", async (string site, string gateway, HttpContext context, UserScope scope,
            GatewayCommands commands, AuditLog audit, CancellationToken cancellationToken) =>
        {
            if (!scope.CanSeeSite(site) || !Topics.IsValidId(gateway))
            {
                return NoGateway(site, gateway);
            }

            await audit.AppendAsync(scope.Account.Name, "diagnostics", $"{site}/{gateway}", null, context.Address(), cancellationToken);
            var reply = await commands.RunAsync(site, gateway, new DiagnosticsCommand(GatewayCommands.NewId()), cancellationToken);
            return Results.Ok(reply.Result);
        });

        installer.MapPost("/gateways/{site}/{gateway}/check", async (string site, string gateway, HttpContext context, UserScope scope, ControlConnection control,
            GatewayCommands commands, LiveHub live, AuditLog audit, TimeProvider time, CancellationToken cancellationToken) =>
        {
            if (!scope.CanSeeSite(site) || !Topics.IsValidId(gateway))
            {
                return NoGateway(site, gateway);
            }

            var result = await CheckAsync(site, gateway, control, commands, live, time.GetUtcNow(), cancellationToken);
            await audit.AppendAsync(scope.Account.Name, "check", $"{site}/{gateway}", result.Ok ? "passed" : "failed: "
                + string.Join("; ", result.Steps.Where(s => !s.Ok).Select(s => $"{s.Name}: {s.Detail}")), context.Address(), cancellationToken);
            return Results.Ok(result);
        });

        installer.MapPut("/devices/{site}/{device}/assignment", async (string site, string device, AssignmentRequest body, HttpContext context,
            UserScope scope, AlertEngine engine, AuditLog audit, CancellationToken cancellationToken) =>
        {
            if (!scope.CanSeeSite(site) || !Topics.IsValidId(device))
            {
                return ApiResults.NotFound($"There is no site {site}.");
            }

            if ((body.Unit is null) == (body.Building is null))
            {
                return ApiResults.BadRequest("Give exactly one of unit and building.");
            }

            var registry = scope.Registry;
            var building = body.Unit is not null ? registry.Unit(body.Unit)?.Building : body.Building;
            if (registry.Building(building) is not { } place || place.Site != site)
            {
                return ApiResults.BadRequest(body.Unit is not null ? $"There is no unit {body.Unit} at site {site}." : $"There is no building {body.Building} at site {site}.");
            }

            var assignment = new DeviceAssignment(site, device, body.Unit, body.Unit is null ? body.Building : null);
            await engine.Store.AssignDeviceAsync(assignment, cancellationToken);
            await engine.RefreshRegistryAsync(cancellationToken);
            await audit.AppendAsync(scope.Account.Name, "device-assignment", $"{site}/{device}", body.Unit is not null ? $"unit {body.Unit}" : $"building {body.Building}",
                context.Address(), cancellationToken);
            return Results.Ok(assignment);
        });

        installer.MapPut("/devices/{site}/{device}/zone", async (string site, string device, NoiseZoneRequest body, HttpContext context,
            UserScope scope, LiveHub live, AlertEngine engine, AuditLog audit, CancellationToken cancellationToken) =>
        {
            if (!scope.CanSeeSite(site) || !Topics.IsValidId(device))
            {
                return ApiResults.NotFound($"There is no site {site}.");
            }

            var zone = string.IsNullOrWhiteSpace(body.Zone) ? null : ZoneClasses.Gb3096.Names.FirstOrDefault(z => string.Equals(z, body.Zone.Trim(), StringComparison.OrdinalIgnoreCase));
            if (!string.IsNullOrWhiteSpace(body.Zone) && zone is null)
            {
                return ApiResults.BadRequest($"'{body.Zone}' is not a zone class of GB 3096-2008 ({string.Join(", ", ZoneClasses.Gb3096.Names)}).");
            }

            if (live.Latest.FirstOrDefault(r => r.Site == site && r.Device == device) is { } latest && latest.Kind != ReadingCodec.KindName(DeviceKind.Noise))
            {
                return ApiResults.BadRequest($"{device} sends {latest.Kind} readings: a zone class is for noise sensors.");
            }

            await engine.Store.SetNoiseZoneAsync(site, device, zone, cancellationToken);
            await engine.RefreshRegistryAsync(cancellationToken);
            await audit.AppendAsync(scope.Account.Name, "noise-zone", $"{site}/{device}", zone is null ? "from ingest's noise settings" : $"class {zone}",
                context.Address(), cancellationToken);
            return Results.Ok(new NoiseZoneView(site, device, zone));
        });
    }

    /// <summary>
    /// Platform to gateway and back: the broker connection, the gateway's retained status, a diagnostics command's
    /// round trip, every device answering its gateway, and readings of each arriving here.
    /// </summary>
    private static async Task<CheckResult> CheckAsync(string site, string gateway, ControlConnection control, GatewayCommands commands, LiveHub live,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var steps = new List<CheckStep>
        {
            new("broker", control.Client.IsConnected, control.Client.IsConnected ? "the dashboard is connected to the broker" : "the dashboard is not connected to the broker", 0),
        };
        var presence = live.Gateway(site, gateway);
        steps.Add(new("gateway-online", presence?.Status == "online",
            presence is null ? "no status from this gateway has reached the broker" : $"{presence.Status} since {presence.StatusAt:O}", 0));

        var clock = Stopwatch.StartNew();
        JsonElement? diagnostics = null;
        try
        {
            diagnostics = (await commands.RunAsync(site, gateway, new DiagnosticsCommand(GatewayCommands.NewId()), cancellationToken)).Result;
            steps.Add(new("command-round-trip", true, "the gateway answered the diagnostics command", clock.Elapsed.TotalMilliseconds));
        }
        catch (Exception ex) when (ex is TimeoutException or GatewayRefusedException)
        {
            steps.Add(new("command-round-trip", false, ex.Message, clock.Elapsed.TotalMilliseconds));
        }

        var devices = diagnostics is { } result && result.TryGetProperty("devices", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(d => (Id: Text(d, "id") ?? "?", State: Text(d, "state") ?? "unknown")).ToList()
            : [];
        if (diagnostics is not null)
        {
            var silent = devices.Where(d => d.State != "answering").Select(d => $"{d.Id} ({d.State})").ToList();
            steps.Add(new("devices-answering", devices.Count > 0 && silent.Count == 0,
                devices.Count == 0 ? "the gateway has no devices configured" : silent.Count == 0 ? $"all {devices.Count} devices answer" : $"not answering: {string.Join(", ", silent)}", 0));
            var latest = live.Latest.Where(r => r.Site == site && r.Gateway == gateway).ToDictionary(r => r.Device, r => r.Ts);
            var missing = devices.Where(d => !latest.TryGetValue(d.Id, out var ts) || now - ts > RecentReading).Select(d => d.Id).ToList();
            steps.Add(new("readings-arriving", devices.Count > 0 && missing.Count == 0,
                missing.Count == 0 ? $"readings of all {devices.Count} devices arrived within {RecentReading.TotalMinutes:0} min" : $"no recent readings from: {string.Join(", ", missing)}", 0));
        }

        return new CheckResult(steps.All(s => s.Ok), steps);
    }

    private static GatewaySummary Summary(string site, string gateway, UserScope scope, LiveHub live) =>
        live.Gateway(site, gateway) is { } presence
            ? new GatewaySummary(gateway, scope.Registry.BuildingOfGateway(site, gateway), presence.Status, presence.StatusAt)
            : new GatewaySummary(gateway, scope.Registry.BuildingOfGateway(site, gateway), "unknown", null);

    private static DeviceView Device(string site, string gateway, string device, DeviceSnapshot? reading, Registry registry, LiveHub live)
    {
        var health = live.Health(site, gateway, device);
        var (unit, building) = reading is null ? registry.Locate(site, gateway, device, null) : (reading.Unit, reading.Building);
        // A reading that arrived after the latest event shows the device answering.
        var answering = reading is not null && (health?.LastEventAt is null || reading.Ts >= health.LastEventAt) ? true : health?.Answering;
        return new DeviceView(device, reading?.Kind, reading?.Profile, unit, building, reading?.Values, reading?.Ts, answering, health?.LastEvent, health?.LastEventAt,
            registry.NoiseZoneOf(site, device));
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IResult NoGateway(string site, string gateway) => ApiResults.NotFound($"There is no gateway {site}/{gateway}.");
}
