using EdgeSafety.Ingest.Alerts;
using EdgeSafety.Ingest.Extensions;
using EdgeSafety.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddIngestServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapAlertsApi();
return app.RunService();
