using EdgeSafety.ServiceDefaults;

namespace EdgeSafety.Ingest.Noise;

/// <summary>The noise rules' figures on ingest's /metrics.</summary>
public sealed class NoiseMetrics(ServiceMetrics metrics)
{
    public MetricCounter Windows { get; } = metrics.Counter("noise_windows_total", "Noise windows (LAeq, Lmax) closed and stored.");

    public MetricCounter SamplesRefused { get; } = metrics.Counter("noise_samples_refused_total",
        "Noise readings the rules did not take, by reason (not_after_previous: a repeat or out of order; implausible: not a sound level; out_of_range: dated before 1970 or after 9998).");

    public MetricCounter Exceedances { get; } = metrics.Counter("noise_exceedances_total", "Noise exceedances confirmed.");

    public MetricCounter WarningsSent { get; } = metrics.Counter("noise_warnings_sent_total", "On-site warnings the broker took for a gateway.");

    public MetricCounter WarningsFailed { get; } = metrics.Counter("noise_warnings_failed_total", "On-site warnings that could not be sent, by reason.");
}
