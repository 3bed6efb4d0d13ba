using EdgeSafety.Alerts;
using EdgeSafety.Influx;
using EdgeSafety.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace EdgeSafety.Ingest.Extensions;

public static class IngestExtensions
{
    public static IHostApplicationBuilder AddIngestServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<IngestOptions>("Ingest");
        services.AddValidatedOptions<InfluxOptions>("Influx");
        services.AddMqttClient("Mqtt");

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IngestMetrics>();
        services.AddSingleton(sp => new PointQueue(sp.GetRequiredService<IOptions<IngestOptions>>().Value.QueueCapacity));
        services.AddSingleton<AlertSignalQueue>();
        services.AddNoiseRules();
        services.AddHttpClient<InfluxClient>((sp, http) =>
            http.BaseAddress = sp.GetRequiredService<IOptions<InfluxOptions>>().Value.BaseAddress);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<InfluxOptions>>().Value);

        services.AddHostedService<InfluxWriter>();
        services.AddHostedService<ReadingReceiver>();
        return builder;
    }
}
