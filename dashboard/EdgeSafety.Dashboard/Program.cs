using EdgeSafety.Dashboard.Accounts;
using EdgeSafety.Dashboard.Extensions;
using EdgeSafety.ServiceDefaults;

if (UsersCommand.IsInvocation(args))
{
    return await UsersCommand.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddDashboardServices();

var app = builder.Build();
app.UseDashboard();
app.MapDefaultEndpoints();
app.MapDashboardApi();
return app.RunService();
