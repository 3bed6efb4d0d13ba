using EdgeSafety.ServiceDefaults;
using EdgeSafety.Simulators.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSimulatorServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapSimulatorControl();
app.MapNoiseScenarioControl();
return app.RunService();
