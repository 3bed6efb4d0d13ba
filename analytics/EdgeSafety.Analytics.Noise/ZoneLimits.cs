namespace EdgeSafety.Analytics.Noise;

/// <summary>Environmental noise limits of one place, LAeq in dB(A), for the day and the night period.</summary>
public sealed record ZoneLimits(double DayDb, double NightDb)
{
    /// <summary>
    /// "55/45": day and night limits. The night limit may not exceed the day limit (the standard's never does, and a
    /// window touching the night is judged against the stricter of the two).
    /// </summary>
    public static bool TryParse(string? text, out ZoneLimits limits, out string error)
    {
        limits = new ZoneLimits(0, 0);
        var parts = text?.Split('/') ?? [];
        if (parts.Length != 2
            || !double.TryParse(parts[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var day)
            || !double.TryParse(parts[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var night))
        {
            error = $"'{text}' is not DAY/NIGHT limits in dB(A), such as 55/45";
            return false;
        }

        return TryCreate(day, night, out limits, out error);
    }

    public static bool TryCreate(double dayDb, double nightDb, out ZoneLimits limits, out string error)
    {
        limits = new ZoneLimits(dayDb, nightDb);
        error = !(dayDb is >= 20 and <= 120) || !(nightDb is >= 20 and <= 120) ? $"limits {dayDb}/{nightDb} must lie between 20 and 120 dB(A)"
            : nightDb > dayDb ? $"the night limit {nightDb} is above the day limit {dayDb}"
            : string.Empty;
        return error.Length == 0;
    }
}

/// <summary>
/// The acoustic environment function zones of GB 3096-2008 (声环境质量标准), table 1, with their LAeq limits in dB(A).
/// Local governments adjust them, so a site may override any class (see <see cref="With"/>).
/// </summary>
public sealed class ZoneClasses
{
    /// <summary>GB 3096-2008 table 1: class 0 (convalescence), 1 (residential, education), 2 (mixed), 3 (industrial), 4a and 4b (along roads and railways).</summary>
    public static ZoneClasses Gb3096 { get; } = new(new Dictionary<string, ZoneLimits>(StringComparer.OrdinalIgnoreCase)
    {
        ["0"] = new(50, 40),
        ["1"] = new(55, 45),
        ["2"] = new(60, 50),
        ["3"] = new(65, 55),
        ["4a"] = new(70, 55),
        ["4b"] = new(70, 60),
    });

    private readonly Dictionary<string, ZoneLimits> _limits;

    private ZoneClasses(Dictionary<string, ZoneLimits> limits)
    {
        _limits = limits;
    }

    public IEnumerable<string> Names => _limits.Keys;

    public bool TryGet(string zone, out ZoneLimits limits) => _limits.TryGetValue(zone, out limits!);

    /// <summary>The same table with one class's limits replaced, as a local government sets them.</summary>
    public ZoneClasses With(string zone, ZoneLimits limits)
    {
        if (!_limits.ContainsKey(zone))
        {
            throw new ArgumentException($"'{zone}' is not a zone class of GB 3096-2008 ({string.Join(", ", _limits.Keys)}).", nameof(zone));
        }

        return new ZoneClasses(new Dictionary<string, ZoneLimits>(_limits, StringComparer.OrdinalIgnoreCase) { [zone] = limits });
    }
}
