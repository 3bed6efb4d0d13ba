using EdgeSafety.Ingest.Analysis;
using EdgeSafety.Ingest.Noise;
using EdgeSafety.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace EdgeSafety.Ingest.Extensions;

public static class NoiseExtensions
{
    /// <summary>The noise rules (section "Noise", checked at start), their on-site warnings and their figures.</summary>
    public static IServiceCollection AddNoiseRules(this IServiceCollection services)
    {
        services.AddValidatedOptions<NoiseOptions>("Noise");
        services.AddSingleton(sp => NoiseSettingsCatalog.Create(sp.GetRequiredService<IOptions<NoiseOptions>>().Value));
        services.AddSingleton<NoiseMetrics>();
        services.AddSingleton<OnSiteWarnings>();
        services.AddHostedService(sp => sp.GetRequiredService<OnSiteWarnings>());
        services.AddSingleton<IReadingAnalyzer, NoiseAnalyzer>();
        return services;
    }
}
