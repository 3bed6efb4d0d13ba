using System.Security.Claims;
using EdgeSafety.Dashboard.Accounts;
using Microsoft.AspNetCore.Authorization;

namespace EdgeSafety.Dashboard.Access;

/// <summary>
/// The authorization policies endpoints name. They decide which roles reach an endpoint; what each may see there
/// is <see cref="UserScope"/>'s job, on every query.
/// </summary>
public static class DashboardPolicies
{
    public const string Admin = "Admin";

    /// <summary>Wardens and admins: dispatch, work orders, on-site warnings.</summary>
    public const string Warden = "Warden";

    public const string Landlord = "Landlord";

    /// <summary>Installers and admins: sites, gateways, devices, assignments, checks.</summary>
    public const string Installer = "Installer";

    /// <summary>Issuing and revoking gateway enrolment codes: installers (their sites) and admins.</summary>
    public const string Enrolment = "Enrolment";

    /// <summary>Who follows alerts: wardens, landlords, admins.</summary>
    public const string Operations = "Operations";

    public static AuthorizationBuilder AddDashboardPolicies(this AuthorizationBuilder authorization) => authorization
        .AddPolicy(Admin, p => p.RequireRole(nameof(UserRole.Admin)))
        .AddPolicy(Warden, p => p.RequireRole(nameof(UserRole.Warden), nameof(UserRole.Admin)))
        .AddPolicy(Landlord, p => p.RequireRole(nameof(UserRole.Landlord)))
        .AddPolicy(Installer, p => p.RequireRole(nameof(UserRole.Installer), nameof(UserRole.Admin)))
        .AddPolicy(Enrolment, p => p.RequireRole(nameof(UserRole.Installer), nameof(UserRole.Admin)))
        .AddPolicy(Operations, p => p.RequireRole(nameof(UserRole.Warden), nameof(UserRole.Landlord), nameof(UserRole.Admin)));
}

/// <summary>The signed-in account as the session cookie carries it.</summary>
public static class UserClaims
{
    private const string Person = "edgesafety:person";
    private const string Area = "edgesafety:area";
    private const string Sites = "edgesafety:sites";
    private const string Stamp = "edgesafety:stamp";

    public static ClaimsPrincipal ToPrincipal(UserAccount account, string scheme)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, account.Name),
            new(ClaimTypes.Role, account.Role.ToString()),
            new(Sites, string.Join(',', account.Sites)),
            new(Stamp, account.Stamp),
        };
        if (account.Person is not null)
        {
            claims.Add(new Claim(Person, account.Person));
        }

        if (account.Area is not null)
        {
            claims.Add(new Claim(Area, account.Area));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    /// <summary>The account of a signed-in principal; null for an anonymous one.</summary>
    public static UserAccount? Account(this ClaimsPrincipal principal) =>
        principal.Identity?.IsAuthenticated == true && principal.FindFirstValue(ClaimTypes.Name) is { } name
            && Enum.TryParse<UserRole>(principal.FindFirstValue(ClaimTypes.Role), out var role)
            ? new UserAccount(name, role, principal.FindFirstValue(Person), principal.FindFirstValue(Area),
                (principal.FindFirstValue(Sites) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries), principal.FindFirstValue(Stamp) ?? "")
            : null;
}
