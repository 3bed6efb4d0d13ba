using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeSafety.Analytics.Noise;
using EdgeSafety.Notifications;

namespace EdgeSafety.Alerts;

public enum PersonRole
{
    Landlord,
    Warden,
}

/// <summary>A daily span in the installation's time zone during which only critical alerts reach a person at once.</summary>
public sealed record QuietHours(TimeOnly Start, TimeOnly End)
{
    /// <summary>True when the local time falls in the span; a span that passes midnight (22:00-07:00) wraps.</summary>
    public bool Contains(TimeOnly local) => Start <= End ? local >= Start && local < End : local >= Start || local < End;
}

/// <summary>How a person wants to hear: where (in order), which kinds (none listed: all), and when not to be woken.</summary>
public sealed record NotificationPreferences
{
    public IReadOnlyList<NotificationTarget> Targets { get; init; } = [];

    public IReadOnlyList<AlertKind> Kinds { get; init; } = [];

    public QuietHours? QuietHours { get; init; }

    public bool Wants(AlertKind kind) => Kinds.Count == 0 || Kinds.Contains(kind);
}

public sealed record Site(string Id, string Name);

/// <summary>A building in a warden's area; its location ranks wardens nearest first.</summary>
public sealed record Building(string Id, string Site, string Name, string Area, double? Latitude = null, double? Longitude = null);

public sealed record Unit(string Id, string Building, string Name, string? Landlord = null);

public sealed record Person(string Id, string Name, PersonRole Role, string? Area = null, double? Latitude = null,
    double? Longitude = null, NotificationPreferences? Preferences = null)
{
    public NotificationPreferences Notifications => Preferences ?? new NotificationPreferences();
}

/// <summary>
/// Which unit (or, for a shared sensor, which building) a device measures, and for a noise sensor the GB 3096-2008
/// zone class it is judged by (null: the one in ingest's noise settings). A noise sensor may have its zone class
/// before it has a place.
/// </summary>
public sealed record DeviceAssignment(string Site, string Device, string? Unit = null, string? Building = null, string? NoiseZone = null);

/// <summary>Which building a gateway serves, for the gateway's own alerts.</summary>
public sealed record GatewayAssignment(string Site, string Gateway, string Building);

/// <summary>The registry file: every list flat, every reference by id (docs/alerts.md).</summary>
public sealed record RegistryDocument
{
    public IReadOnlyList<Site> Sites { get; init; } = [];

    public IReadOnlyList<Building> Buildings { get; init; } = [];

    public IReadOnlyList<Unit> Units { get; init; } = [];

    public IReadOnlyList<Person> People { get; init; } = [];

    public IReadOnlyList<DeviceAssignment> Devices { get; init; } = [];

    public IReadOnlyList<GatewayAssignment> Gateways { get; init; } = [];

    /// <summary>How registry files are written: camelCase names, enums by name.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = true,
    };

    /// <summary>Reads and checks a registry file; a dangling reference or duplicate id is an error naming it.</summary>
    public static RegistryDocument Load(string path)
    {
        RegistryDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<RegistryDocument>(File.ReadAllText(path), Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Registry {path}: {ex.Message}", ex);
        }

        document ??= new RegistryDocument();
        var errors = document.Check().ToList();
        return errors.Count == 0 ? document : throw new InvalidDataException($"Registry {path}: {string.Join("; ", errors)}");
    }

    public IEnumerable<string> Check()
    {
        foreach (var duplicate in Duplicates(Sites.Select(s => s.Id)).Concat(Duplicates(Buildings.Select(b => b.Id)))
            .Concat(Duplicates(Units.Select(u => u.Id))).Concat(Duplicates(People.Select(p => p.Id))))
        {
            yield return $"id '{duplicate}' is used twice";
        }

        var sites = Sites.Select(s => s.Id).ToHashSet();
        var buildings = Buildings.Select(b => b.Id).ToHashSet();
        var units = Units.Select(u => u.Id).ToHashSet();
        var landlords = People.Where(p => p.Role == PersonRole.Landlord).Select(p => p.Id).ToHashSet();
        foreach (var building in Buildings.Where(b => !sites.Contains(b.Site)))
        {
            yield return $"building '{building.Id}' names unknown site '{building.Site}'";
        }

        foreach (var unit in Units.Where(u => !buildings.Contains(u.Building)))
        {
            yield return $"unit '{unit.Id}' names unknown building '{unit.Building}'";
        }

        foreach (var unit in Units.Where(u => u.Landlord is not null && !landlords.Contains(u.Landlord)))
        {
            yield return $"unit '{unit.Id}' names unknown landlord '{unit.Landlord}'";
        }

        foreach (var warden in People.Where(p => p.Role == PersonRole.Warden && string.IsNullOrEmpty(p.Area)))
        {
            yield return $"warden '{warden.Id}' has no area";
        }

        foreach (var device in Devices)
        {
            if (device.NoiseZone is not null && !ZoneClasses.Gb3096.TryGet(device.NoiseZone, out _))
            {
                yield return $"device '{device.Site}/{device.Device}' has noise zone '{device.NoiseZone}', not a class of GB 3096-2008 ({string.Join(", ", ZoneClasses.Gb3096.Names)})";
            }

            if ((device.Unit is not null && device.Building is not null) || (device.Unit is null && device.Building is null && device.NoiseZone is null))
            {
                yield return $"device '{device.Site}/{device.Device}' needs exactly one of unit and building (or only a noise zone)";
            }
            else if (device.Unit is not null && !units.Contains(device.Unit))
            {
                yield return $"device '{device.Site}/{device.Device}' names unknown unit '{device.Unit}'";
            }
            else if (device.Building is not null && !buildings.Contains(device.Building))
            {
                yield return $"device '{device.Site}/{device.Device}' names unknown building '{device.Building}'";
            }
        }

        foreach (var gateway in Gateways.Where(g => !buildings.Contains(g.Building)))
        {
            yield return $"gateway '{gateway.Site}/{gateway.Gateway}' names unknown building '{gateway.Building}'";
        }

        foreach (var person in People)
        {
            foreach (var target in person.Notifications.Targets.Where(t => string.IsNullOrWhiteSpace(t.Address)))
            {
                yield return $"person '{person.Id}' has a {target.Channel} target without an address";
            }
        }
    }

    private static IEnumerable<string> Duplicates(IEnumerable<string> ids) => ids.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key);
}

/// <summary>The registry as the engine asks it: where a device is, who owns a unit, who covers an area.</summary>
public sealed class Registry
{
    private readonly Dictionary<string, Building> _buildings;
    private readonly Dictionary<string, Unit> _units;
    private readonly Dictionary<string, Person> _people;
    private readonly Dictionary<(string Site, string Device), DeviceAssignment> _devices;
    private readonly Dictionary<(string Site, string Gateway), GatewayAssignment> _gateways;

    public Registry(RegistryDocument document)
    {
        Document = document;
        _buildings = document.Buildings.ToDictionary(b => b.Id);
        _units = document.Units.ToDictionary(u => u.Id);
        _people = document.People.ToDictionary(p => p.Id);
        _devices = document.Devices.ToDictionary(d => (d.Site, d.Device));
        _gateways = document.Gateways.ToDictionary(g => (g.Site, g.Gateway));
    }

    public RegistryDocument Document { get; }

    public Person? Person(string id) => _people.GetValueOrDefault(id);

    public Building? Building(string? id) => id is null ? null : _buildings.GetValueOrDefault(id);

    public Unit? Unit(string? id) => id is null ? null : _units.GetValueOrDefault(id);

    /// <summary>The zone class a noise sensor was given in the registry (the dashboard), or null to use ingest's noise settings.</summary>
    public string? NoiseZoneOf(string site, string device) => _devices.GetValueOrDefault((site, device))?.NoiseZone;

    /// <summary>The building a gateway serves, if it is in the registry.</summary>
    public string? BuildingOfGateway(string site, string gateway) => _gateways.GetValueOrDefault((site, gateway))?.Building;

    /// <summary>
    /// The unit and building a signal concerns: the device's assignment, else the unit the gateway reported with
    /// the reading, else the gateway's building.
    /// </summary>
    public (string? Unit, string? Building) Locate(AlertSignal signal) => Locate(signal.Site, signal.Gateway, signal.Device, signal.Unit);

    /// <summary>As <see cref="Locate(AlertSignal)"/>, for a device's reading: <paramref name="reportedUnit"/> is the unit the gateway sent with it.</summary>
    public (string? Unit, string? Building) Locate(string site, string gateway, string? device, string? reportedUnit)
    {
        var unit = reportedUnit;
        string? building = null;
        if (!string.IsNullOrEmpty(device) && _devices.TryGetValue((site, device), out var assigned))
        {
            unit = assigned.Unit ?? unit;
            building = assigned.Building;
        }

        if (unit is not null && _units.TryGetValue(unit, out var known))
        {
            building = known.Building;
        }

        if (building is null && _gateways.TryGetValue((site, gateway), out var served))
        {
            building = served.Building;
        }

        return (unit, building);
    }

    public IEnumerable<Person> LandlordsOf(string? unit) =>
        unit is not null && _units.TryGetValue(unit, out var known) && known.Landlord is not null
            && _people.TryGetValue(known.Landlord, out var landlord) ? [landlord] : [];

    /// <summary>The wardens covering the building's area, nearest first where both locations are known.</summary>
    public IReadOnlyList<Person> WardensFor(string? building)
    {
        if (Building(building) is not { } known)
        {
            return [];
        }

        return [.. _people.Values
            .Where(p => p.Role == PersonRole.Warden && p.Area == known.Area)
            .OrderBy(p => DistanceKilometres(known.Latitude, known.Longitude, p.Latitude, p.Longitude))
            .ThenBy(p => p.Id, StringComparer.Ordinal)];
    }

    /// <summary>Units a landlord owns.</summary>
    public IReadOnlyList<string> UnitsOf(string landlord) => [.. _units.Values.Where(u => u.Landlord == landlord).Select(u => u.Id)];

    /// <summary>Great-circle distance; unknown locations sort last.</summary>
    private static double DistanceKilometres(double? lat1, double? lon1, double? lat2, double? lon2)
    {
        if (lat1 is null || lon1 is null || lat2 is null || lon2 is null)
        {
            return double.MaxValue;
        }

        static double Radians(double degrees) => degrees * Math.PI / 180;
        var dLat = Radians(lat2.Value - lat1.Value);
        var dLon = Radians(lon2.Value - lon1.Value);
        var a = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2))
            + (Math.Cos(Radians(lat1.Value)) * Math.Cos(Radians(lat2.Value)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 6371 * 2 * Math.Atan2(Math.Sqrt(a), Math.Sqrt(1 - a));
    }
}
