namespace EdgeSafety.Analytics.Noise;

/// <summary>What the monitor reports: a closed window, or a step of the rules.</summary>
public abstract record NoiseOutput;

/// <summary>
/// One closed window: a short one ("1min", "5min", ...) or a whole day or night period ("day", "night"). Its exposure
/// is the stored form that longer windows roll up from; the limit is the one it is judged against.
/// </summary>
public sealed record NoiseWindow(string Name, DateTimeOffset Start, DateTimeOffset End, SoundExposure Exposure, double LimitDb, NoisePeriod Period)
    : NoiseOutput
{
    public double? Laeq => Exposure.Laeq;

    public double? Lmax => Exposure.Lmax;

    /// <summary>The fraction of the window the samples cover; the rest was a dropout (or before the first sample).</summary>
    public double Coverage => Exposure.Seconds / (End - Start).TotalSeconds;

    /// <summary>The label of a short window of this length ("5min").</summary>
    public static string NameOf(TimeSpan length) => $"{length.TotalMinutes:0}min";
}

public enum NoiseEventKind
{
    /// <summary>The rule window's LAeq was over the limit for the persistence: the exceedance is confirmed.</summary>
    Exceedance,

    /// <summary>An on-site warning is to be played through the gateway (number 1, then 2 on escalation).</summary>
    OnSiteWarning,

    /// <summary>The exceedance persisted after the first warning: the wardens are alerted.</summary>
    WardenAlert,

    /// <summary>The rule windows stayed below the limit minus the clearing margin long enough.</summary>
    ExceedanceCleared,

    /// <summary>At night, a level more than the burst margin over the night limit.</summary>
    NightBurst,

    /// <summary>A whole rule window passed without a burst after one.</summary>
    NightBurstCleared,
}

/// <summary>
/// A step of the rules, with the time it happened (reading time, not processing time) and the figure behind it:
/// the window's LAeq for exceedance steps, the sample's level for a burst.
/// </summary>
public sealed record NoiseEvent(NoiseEventKind Kind, DateTimeOffset At, double LevelDb, double LimitDb, NoisePeriod Period)
    : NoiseOutput
{
    /// <summary>Which warning of the episode (1 or 2) for <see cref="NoiseEventKind.OnSiteWarning"/>; 0 otherwise.</summary>
    public int WarningNumber { get; init; }

    /// <summary>When the exceedance was confirmed, for the steps of an exceedance episode.</summary>
    public DateTimeOffset? EpisodeStart { get; init; }

    /// <summary>For <see cref="NoiseEventKind.ExceedanceCleared"/>: the episode had reached the wardens, whose alert now clears too.</summary>
    public bool WardensAlerted { get; init; }

    /// <summary>True when the figure is a maximum (bursts), false when it is an LAeq.</summary>
    public bool IsMaximum => Kind is NoiseEventKind.NightBurst or NoiseEventKind.NightBurstCleared;
}
