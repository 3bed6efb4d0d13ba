using EdgeSafety.Dashboard.Access;
using EdgeSafety.Dashboard.Accounts;

namespace EdgeSafety.Dashboard.Endpoints;

/// <summary>The audit log, for admins only: read it, and check that its hash chain is whole.</summary>
public static class AdminEndpoints
{
    public static void MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/api/audit").RequireAuthorization(DashboardPolicies.Admin);
        audit.MapGet("", (long? after, int? limit, AuditLog log, CancellationToken cancellationToken) =>
            log.ReadAsync(Math.Max(0, after ?? 0), Math.Clamp(limit ?? 200, 1, 1000), cancellationToken));
        audit.MapGet("/verify", (AuditLog log, CancellationToken cancellationToken) => log.VerifyAsync(cancellationToken));
    }
}
