using System.Text.Json.Serialization;
using EdgeSafety.Alerts;
using EdgeSafety.Alerts.Store;
using EdgeSafety.Notifications;
using EdgeSafety.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace EdgeSafety.Ingest.Alerts;

public static class AlertsExtensions
{
    /// <summary>
    /// The alert engine, its store, the notification channels, the gateway status and device event subscribers and the reports.
    /// Relative paths in the Alerts settings are taken from ingest's content root (the program's folder).
    /// </summary>
    public static IServiceCollection AddAlerts(this IServiceCollection services, IHostEnvironment environment)
    {
        services.AddValidatedOptions<AlertOptions>("Alerts").PostConfigure(options =>
        {
            options.RegistryPath = string.IsNullOrEmpty(options.RegistryPath) ? null : Path.Combine(environment.ContentRootPath, options.RegistryPath);
            options.Store.SqlitePath = Path.Combine(environment.ContentRootPath, options.Store.SqlitePath);
        });
        services.AddNotifications();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<AlertOptions>>().Value);
        services.AddSingleton(sp => AlertDatabase.Create(sp.GetRequiredService<AlertOptions>().Store));
        services.AddSingleton<AlertStore>();
        services.AddSingleton<AlertEngine>();
        services.AddSingleton<AlertReports>();
        services.AddSingleton<AlertMetrics>();
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

        services.AddHostedService<AlertEngineService>();
        services.AddHostedService(sp => ActivatorUtilities.CreateInstance<GatewayStatusReceiver>(sp, sp.NewMqttConnection("Mqtt", "-status")));
        services.AddHostedService(sp => ActivatorUtilities.CreateInstance<DeviceEventReceiver>(sp, sp.NewMqttConnection("Mqtt", "-events")));
        return services;
    }
}
