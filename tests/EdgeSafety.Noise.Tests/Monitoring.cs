using EdgeSafety.Analytics.Noise;

namespace EdgeSafety.Noise.Tests;

/// <summary>Feeds samples to a monitor the way ingest and the command line do, and collects what it reports.</summary>
internal static class Monitoring
{
    public static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static NoiseMonitorSettings Zone(string zone) =>
        new() { Limits = ZoneClasses.Gb3096.TryGet(zone, out var limits) ? limits : throw new ArgumentException(zone) };

    /// <summary>Local time in Shanghai.</summary>
    public static DateTimeOffset Local(int hour, int minute, int second = 0, int day = 1) =>
        new(2026, 7, day, hour, minute, second, TimeSpan.FromHours(8));

    public static List<NoiseOutput> Run(NoiseMonitorSettings settings, IEnumerable<(DateTimeOffset At, double Db)> samples, bool flush = true)
    {
        var monitor = new SensorNoiseMonitor(settings);
        var outputs = new List<NoiseOutput>();
        foreach (var (at, db) in samples)
        {
            monitor.Add(at, db, outputs).Should().Be(SampleRejection.None);
        }

        if (flush)
        {
            monitor.Flush(outputs);
        }

        return outputs;
    }

    /// <summary>A constant level every interval from start (inclusive) to end (exclusive).</summary>
    public static IEnumerable<(DateTimeOffset At, double Db)> Steady(DateTimeOffset start, DateTimeOffset end, double db, TimeSpan? interval = null)
    {
        for (var at = start; at < end; at += interval ?? TimeSpan.FromSeconds(1))
        {
            yield return (at, db);
        }
    }

    public static List<NoiseWindow> Windows(this IEnumerable<NoiseOutput> outputs, string name) =>
        [.. outputs.OfType<NoiseWindow>().Where(w => w.Name == name)];

    public static List<NoiseEvent> Events(this IEnumerable<NoiseOutput> outputs) => [.. outputs.OfType<NoiseEvent>()];

    /// <summary>Steps as "kind@HH:mm:ss" in Shanghai time, readable in a failure message.</summary>
    public static List<string> Steps(this IEnumerable<NoiseOutput> outputs) =>
        [.. outputs.Events().Select(e => $"{NoiseNames.Of(e.Kind)}{(e.WarningNumber > 0 ? e.WarningNumber.ToString(System.Globalization.CultureInfo.InvariantCulture) : "")}@{TimeZoneInfo.ConvertTime(e.At, Shanghai):HH:mm:ss}")];
}
