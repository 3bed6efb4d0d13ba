using EdgeSafety.EdgeAgent.Extensions;
using EdgeSafety.EdgeAgent.Installer;
using EdgeSafety.ServiceDefaults;

if (InstallerCommands.IsInstallerCommand(args))
{
    return await InstallerCommands.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddEdgeAgentServices();

var app = builder.Build();
app.MapDefaultEndpoints();
return app.RunService();
