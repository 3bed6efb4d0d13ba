using EdgeSafety.ServiceDefaults;

namespace EdgeSafety.EdgeAgent.Commands;

public static class CommandExtensions
{
    /// <summary>
    /// The platform's commands over MQTT (config, warn, diagnostics). Register before the Publisher: the listener must
    /// be subscribed and its handler set before the client connects.
    /// </summary>
    public static IServiceCollection AddAgentCommands(this IServiceCollection services)
    {
        services.AddValidatedOptions<WarningOptions>("Warning");
        services.AddSingleton<WarningPlayer>();
        services.AddSingleton<AgentDiagnostics>();
        services.AddHostedService<CommandListener>();
        return services;
    }
}
