using EdgeSafety.EdgeAgent.Extensions;
using EdgeSafety.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddEdgeAgentServices();

var app = builder.Build();
app.MapDefaultEndpoints();
return app.RunService();
