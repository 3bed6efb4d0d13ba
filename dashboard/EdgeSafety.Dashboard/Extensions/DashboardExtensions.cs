using System.Net.ServerSentEvents;
using EdgeSafety.ServiceDefaults;

namespace EdgeSafety.Dashboard.Extensions;

public static class DashboardExtensions
{
    public static IHostApplicationBuilder AddDashboardServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMqttClient("Mqtt");
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<LiveReadings>();
        builder.Services.AddHostedService<ReadingsSubscriber>();
        return builder;
    }

    /// <summary>Static page and security headers: scripts only from our own files, never inline.</summary>
    public static WebApplication UseDashboard(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            await next(context);
        });
        app.UseDefaultFiles();
        app.UseStaticFiles();
        return app;
    }

    public static WebApplication MapDashboardApi(this WebApplication app)
    {
        app.MapGet("/api/devices", (LiveReadings live) => live.Latest);

        // Server-sent events: the browser reconnects by itself, and proxies pass them as plain HTTP.
        app.MapGet("/api/stream", (LiveReadings live, CancellationToken cancellationToken) =>
            TypedResults.ServerSentEvents(Stream(live, cancellationToken)));
        return app;
    }

    private static async IAsyncEnumerable<SseItem<DeviceSnapshot>> Stream(LiveReadings live,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var snapshot in live.WatchAsync(cancellationToken))
        {
            yield return new SseItem<DeviceSnapshot>(snapshot, "reading");
        }
    }
}
