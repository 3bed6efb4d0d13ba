using EdgeSafety.EdgeAgent.Commands;
using EdgeSafety.ServiceDefaults;
using EdgeSafety.Storage;
using Microsoft.Extensions.Options;

namespace EdgeSafety.EdgeAgent.Extensions;

public static class EdgeAgentExtensions
{
    public static IHostApplicationBuilder AddEdgeAgentServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        // The Agent section comes from the site configuration file alone when one is set (so that a device removed
        // from the file is gone, not merged back from appsettings.json), else from the service's configuration.
        if (SiteConfiguration.FilePathFrom(builder.Configuration) is { } siteFile)
        {
            services.AddValidatedOptions<AgentOptions>("Agent", options => LoadSiteFile(siteFile, options));
        }
        else
        {
            services.AddValidatedOptions<AgentOptions>("Agent");
        }

        services.AddSingleton<IValidateOptions<AgentOptions>, AgentOptionsReferences>();
        services.AddSingleton<SiteConfiguration>();
        services.AddMqttClient("Mqtt", sp => Publisher.Will(sp.GetRequiredService<IOptions<AgentOptions>>().Value));

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => DeviceProfiles.Load(sp.GetRequiredService<IOptions<AgentOptions>>()));
        // Gateways keep state under /var/lib; the demo and the tests pass their own folder.
        services.AddOptions<RecordStoreOptions>().Configure(store => store.Directory = "/var/lib/edgesafety-agent");
        services.AddValidatedOptions<RecordStoreOptions>("Store");
        services.AddSingleton<IValidateOptions<RecordStoreOptions>, StoreDirectoryValidation>();
        services.AddSingleton(sp => Outbox.Open(sp.GetRequiredService<IOptions<RecordStoreOptions>>().Value,
            sp.GetRequiredService<AgentMetrics>(), sp.GetRequiredService<ServiceMetrics>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<AgentMetrics>();
        services.AddSingleton<DeviceEvents>();
        services.AddSingleton<DeviceStatuses>();
        services.AddAgentCommands();
        services.AddHostedService<Publisher>();
        services.AddHostedService<BusPoller>();
        return builder;
    }

    private static void LoadSiteFile(string path, AgentOptions options)
    {
        string? error;
        try
        {
            error = SiteConfiguration.TryBind(File.ReadAllBytes(path), options);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = $"cannot read {path}: {ex.Message}";
        }

        if (error is not null)
        {
            throw new OptionsValidationException("Agent", typeof(AgentOptions), [$"{SiteConfiguration.FileSetting}: {error}"]);
        }
    }
}
