using EdgeSafety.Dashboard.Extensions;
using EdgeSafety.Dashboard.Provisioning;
using EdgeSafety.ServiceDefaults;

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
