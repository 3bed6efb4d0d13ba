using EdgeSafety.Mqtt;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeSafety.ServiceDefaults;

public static class MqttServiceExtensions
{
    /// <summary>
    /// One broker connection per service, its settings bound from the section and validated at start. The
    /// password comes from configuration, so from the environment (Mqtt__Password) or a secrets file, never from a
    /// committed appsettings file. The connection state is on /metrics as mqtt_connected.
    /// </summary>
    public static IServiceCollection AddMqttClient(this IServiceCollection services, string section,
        Func<IServiceProvider, MqttWill?>? will = null)
    {
        services.AddValidatedOptions<MqttClientOptions>(section);
        services.AddSingleton(sp =>
        {
            var client = new MqttClient(
                sp.GetRequiredService<IOptions<MqttClientOptions>>().Value,
                sp.GetRequiredService<ILogger<MqttClient>>(),
                will?.Invoke(sp));
            sp.GetRequiredService<ServiceMetrics>().Gauge("mqtt_connected", "1 while connected to the broker.", () => client.IsConnected ? 1 : 0);
            return client;
        });
        return services;
    }

    /// <summary>
    /// Another connection with the section's broker settings, bound afresh, under a client id of its own: one
    /// connection hands its messages to one subscriber, so each subscriber of a service needs its own.
    /// </summary>
    public static MqttClient NewMqttConnection(this IServiceProvider services, string section, string clientIdSuffix)
    {
        var options = services.GetRequiredService<IConfiguration>().GetSection(section).Get<MqttClientOptions>() ?? new MqttClientOptions();
        options.ClientId = options.ClientId.Length == 0 ? "" : options.ClientId + clientIdSuffix;
        return new MqttClient(options, services.GetRequiredService<ILogger<MqttClient>>());
    }
}
