using EdgeSafety.EdgeAgent.Extensions;
using EdgeSafety.ServiceDefaults;
using EdgeSafety.Storage;
using Microsoft.Extensions.Options;

namespace EdgeSafety.EdgeAgent.Installer;

/// <summary>
/// The agent's configuration and services exactly as the service would build them (appsettings.json beside the
/// program, environment, then the setting overrides given on the command line), without starting the service.
/// </summary>
public sealed class SiteContext : IDisposable
{
    private readonly IHost _host;

    private SiteContext(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    /// <summary>Validated settings; throws <see cref="OptionsValidationException"/> naming every bad setting.</summary>
    public AgentOptions Agent => Services.GetRequiredService<IOptions<AgentOptions>>().Value;

    /// <summary>Validated store settings, its folder writable; throws <see cref="OptionsValidationException"/> otherwise.</summary>
    public RecordStoreOptions Store => Services.GetRequiredService<IOptions<RecordStoreOptions>>().Value;

    public static SiteContext Build(IReadOnlyList<string> settingOverrides)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [.. settingOverrides],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.AddServiceDefaults();
        // An installer reads tables, not the service's informational log lines.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" });
        builder.AddEdgeAgentServices();
        return new SiteContext(builder.Build());
    }

    public void Dispose() => _host.Dispose();
}
