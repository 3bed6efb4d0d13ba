using EdgeSafety.Dashboard.Extensions;
using EdgeSafety.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddDashboardServices();

var app = builder.Build();
app.UseDashboard();
app.MapDefaultEndpoints();
app.MapDashboardApi();
return app.RunService();
