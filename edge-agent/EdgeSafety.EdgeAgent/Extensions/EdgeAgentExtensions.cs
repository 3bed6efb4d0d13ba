using EdgeSafety.ServiceDefaults;
using EdgeSafety.Storage;
using Microsoft.Extensions.Options;

namespace EdgeSafety.EdgeAgent.Extensions;

public static class EdgeAgentExtensions
{
    public static IHostApplicationBuilder AddEdgeAgentServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<AgentOptions>("Agent");
        services.AddSingleton<IValidateOptions<AgentOptions>, AgentOptionsReferences>();
        services.AddMqttClient("Mqtt", sp => Publisher.Will(sp.GetRequiredService<IOptions<AgentOptions>>().Value));

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => DeviceProfiles.Load(sp.GetRequiredService<IOptions<AgentOptions>>()));
        // Gateways keep state under /var/lib; the demo and the tests pass their own folder.
        services.AddOptions<RecordStoreOptions>().Configure(store => store.Directory = "/var/lib/edgesafety-agent");
        services.AddValidatedOptions<RecordStoreOptions>("Store");
        services.AddSingleton(sp => Outbox.Open(sp.GetRequiredService<IOptions<RecordStoreOptions>>().Value,
            sp.GetRequiredService<AgentMetrics>(), sp.GetRequiredService<ServiceMetrics>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<AgentMetrics>();
        services.AddHostedService<Publisher>();
        services.AddHostedService<BusPoller>();
        return builder;
    }
}
