using EdgeSafety.Alerts;
using EdgeSafety.Dashboard.Accounts;

namespace EdgeSafety.Dashboard.Access;

/// <summary>
/// What one account may see, asked of the registry as it is now: an admin everything; a warden the buildings of
/// their area (and the units and devices in them); a landlord the units whose registry landlord is their person;
/// an installer their sites. Every endpoint and the live stream filter through this, and something outside it is
/// answered exactly as something that does not exist.
/// </summary>
public sealed class UserScope(UserAccount account, Registry registry)
{
    public UserAccount Account => account;

    public Registry Registry => registry;

    public bool CanSeeSite(string site) => account.Role switch
    {
        UserRole.Admin => true,
        UserRole.Installer => account.Sites.Contains(site, StringComparer.Ordinal),
        _ => registry.Document.Buildings.Any(b => b.Site == site && CanSeeBuilding(b.Id)),
    };

    public bool CanSeeBuilding(string? id) => registry.Building(id) is { } building && account.Role switch
    {
        UserRole.Admin => true,
        UserRole.Warden => building.Area == account.Area,
        UserRole.Landlord => registry.Document.Units.Any(u => u.Building == building.Id && u.Landlord == account.Person),
        UserRole.Installer => account.Sites.Contains(building.Site, StringComparer.Ordinal),
        _ => false,
    };

    public bool CanSeeUnit(string? id) => registry.Unit(id) is { } unit && account.Role switch
    {
        UserRole.Landlord => unit.Landlord == account.Person,
        _ => CanSeeBuilding(unit.Building),
    };

    /// <summary>Something located at a site, in a building and unit (either may be unknown): an alert, a reading, a device.</summary>
    public bool CanSee(string site, string? building, string? unit) => account.Role switch
    {
        UserRole.Admin => true,
        UserRole.Installer => account.Sites.Contains(site, StringComparer.Ordinal),
        UserRole.Landlord => CanSeeUnit(unit),
        UserRole.Warden => CanSeeBuilding(building ?? registry.Unit(unit)?.Building),
        _ => false,
    };

    public bool CanSeeAlert(Alert alert) => CanSee(alert.Site, alert.Building, alert.Unit);

    /// <summary>A device where it is: the registry's assignment, else the unit its gateway reported, else its gateway's building.</summary>
    public bool CanSeeDevice(string site, string gateway, string device, string? reportedUnit)
    {
        var (unit, building) = registry.Locate(site, gateway, device, reportedUnit);
        return CanSee(site, building, unit);
    }

    public IReadOnlyList<Building> Buildings() => [.. registry.Document.Buildings.Where(b => CanSeeBuilding(b.Id))];

    public IReadOnlyList<Unit> Units() => [.. registry.Document.Units.Where(u => CanSeeUnit(u.Id))];
}
