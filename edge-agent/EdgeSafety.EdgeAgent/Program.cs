using EdgeSafety.EdgeAgent.Extensions;
using EdgeSafety.EdgeAgent.Installer;
using EdgeSafety.ServiceDefaults;

if (InstallerCommands.IsInstallerCommand(args))
{
    return await InstallerCommands.RunAsync(args);
}

// The slim builder: the agent serves only /healthz and /metrics over plain HTTP, so it needs neither Kestrel's HTTPS and
// HTTP/3 nor IIS integration nor regex routes, and does not load them (docs/benchmarks.md, "Gateway footprint").
var builder = WebApplication.CreateSlimBuilder(args);
builder.AddServiceDefaults();
builder.AddEdgeAgentServices();

var app = builder.Build();
app.MapDefaultEndpoints();
return app.RunService();
