using EdgeSafety.Alerts;
using EdgeSafety.Analytics.Charging;
using EdgeSafety.Influx;
using EdgeSafety.Ingest.Alerts;
using EdgeSafety.Ingest.Analysis;
using EdgeSafety.ServiceDefaults;
using EdgeSafety.Storage;
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
        services.AddSingleton<SequenceCheck>();
        services.AddOptions<RecordStoreOptions>().Configure(store =>
        {
            store.Directory = "/var/lib/edgesafety-ingest";
            store.MaxBytes = 8L * 1024 * 1024 * 1024;
            store.FlushIntervalMilliseconds = 50;
        });
        services.AddValidatedOptions<RecordStoreOptions>("Store");
        services.AddSingleton(sp => PointQueue.Open(sp.GetRequiredService<IOptions<RecordStoreOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<WriterHealth>();
        services.AddHealthChecks().AddCheck<WriterHealth>("influx-writer");
        services.AddSingleton<AlertSignalQueue>();
        services.AddValidatedOptions<ChargingOptions>("Charging");
        services.AddSingleton(sp => ChargingModels.Load(sp.GetRequiredService<IOptions<ChargingOptions>>().Value.ModelsDirectory));
        services.AddSingleton<IReadingAnalyzer, ChargingAnalyzer>();
        services.AddNoiseRules();
        services.AddHttpClient<InfluxClient>((sp, http) =>
            http.BaseAddress = sp.GetRequiredService<IOptions<InfluxOptions>>().Value.BaseAddress);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<InfluxOptions>>().Value);

        services.AddHostedService<InfluxWriter>();
        services.AddHostedService<ReadingReceiver>();
        services.AddAlerts(builder.Environment);
        return builder;
    }
}
