using System.Net;
using EdgeSafety.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EdgeSafety.Notifications;

public static class NotificationServiceExtensions
{
    internal const string HttpClientName = "EdgeSafety.Notifications";

    /// <summary>
    /// The <see cref="NotificationSender"/> with its settings bound from the section and validated at start.
    /// Redirects are not followed: a signed body must reach the address it was signed for, and a robot URL
    /// that redirects has been retired.
    /// </summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services, string section = "Notifications")
    {
        services.AddValidatedOptions<NotificationOptions>(section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.All,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            });
        services.AddSingleton<NotificationSender>();
        return services;
    }
}
