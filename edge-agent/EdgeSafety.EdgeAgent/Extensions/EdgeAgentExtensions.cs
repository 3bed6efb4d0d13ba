using EdgeSafety.ServiceDefaults;
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
        services.AddSingleton<Outbox>();
        services.AddSingleton<AgentMetrics>();
        services.AddHostedService<Publisher>();
        services.AddHostedService<BusPoller>();
        return builder;
    }
}
