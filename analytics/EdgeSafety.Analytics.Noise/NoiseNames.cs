namespace EdgeSafety.Analytics.Noise;

/// <summary>The names periods and rule steps have outside the code: in JSON lines, InfluxDB tags and alert evidence.</summary>
public static class NoiseNames
{
    public static string Of(NoisePeriod period) => period switch
    {
        NoisePeriod.Day => "day",
        NoisePeriod.Night => "night",
        NoisePeriod.Quiet => "quiet",
        _ => throw new ArgumentOutOfRangeException(nameof(period), period, null),
    };

    public static string Of(NoiseEventKind kind) => kind switch
    {
        NoiseEventKind.Exceedance => "exceedance",
        NoiseEventKind.OnSiteWarning => "on_site_warning",
        NoiseEventKind.WardenAlert => "warden_alert",
        NoiseEventKind.ExceedanceCleared => "exceedance_cleared",
        NoiseEventKind.NightBurst => "night_burst",
        NoiseEventKind.NightBurstCleared => "night_burst_cleared",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
