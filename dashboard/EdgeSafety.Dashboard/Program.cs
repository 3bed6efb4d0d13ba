using EdgeSafety.Dashboard.Accounts;
using EdgeSafety.Dashboard.Extensions;
using EdgeSafety.Dashboard.Provisioning;
using EdgeSafety.ServiceDefaults;

if (UsersCommand.IsInvocation(args))
{
    return await UsersCommand.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddDashboardServices();
builder.AddGatewayProvisioning();

var app = builder.Build();
app.UseDashboard();
app.MapDefaultEndpoints();
app.MapDashboardApi();
app.MapGatewayProvisioning();
return app.RunService();
