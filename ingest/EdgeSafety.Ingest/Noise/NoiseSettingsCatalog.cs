using System.Globalization;
using EdgeSafety.Analytics.Noise;
using EdgeSafety.Contracts;

namespace EdgeSafety.Ingest.Noise;

/// <summary>One sensor's resolved settings: the rules', and what its gateway plays as a warning (a recorded message's key, or free text).</summary>
public sealed record SensorNoiseSettings(NoiseMonitorSettings Monitor, string WarningMessage, string? WarningText);

/// <summary>
/// Resolves each sensor's settings from <see cref="NoiseOptions"/>: built-in defaults, then Defaults, then its preset,
/// then its own entry, with its site's calendar and zone table. Everything is checked at start (<see cref="Problems"/>),
/// so resolving a sensor later cannot fail.
/// </summary>
public sealed class NoiseSettingsCatalog
{
    /// <summary>The key gateways record their noise warning under (Warning:Messages:noise-exceedance).</summary>
    public const string DefaultWarningMessage = "noise-exceedance";

    private readonly NoiseOptions _options;
    private readonly (NoiseCalendar Calendar, ZoneClasses Zones) _defaultSite;
    private readonly Dictionary<string, (NoiseCalendar Calendar, ZoneClasses Zones)> _sites;

    private NoiseSettingsCatalog(NoiseOptions options, List<(string Member, string Problem)> problems)
    {
        _options = options;
        _defaultSite = (Calendar(options.TimeZone, options.DayStart, options.NightStart, "", problems) ?? NoiseCalendar.China, ZoneClasses.Gb3096);
        _sites = new Dictionary<string, (NoiseCalendar, ZoneClasses)>(StringComparer.Ordinal);
        for (var i = 0; i < options.Sites.Count; i++)
        {
            var site = options.Sites[i];
            var member = $"Sites[{i}].";
            var calendar = Calendar(site.TimeZone ?? options.TimeZone, site.DayStart ?? options.DayStart, site.NightStart ?? options.NightStart, member, problems);
            var zones = ZoneClasses.Gb3096;
            for (var j = 0; j < site.ZoneLimits.Count; j++)
            {
                var zone = site.ZoneLimits[j];
                if (!zones.TryGet(zone.Zone, out _))
                {
                    problems.Add(($"{member}ZoneLimits[{j}].Zone", $"'{zone.Zone}' is not a zone class of GB 3096-2008 ({string.Join(", ", zones.Names)})"));
                }
                else if (!ZoneLimits.TryCreate(zone.DayDb, zone.NightDb, out var limits, out var error))
                {
                    problems.Add(($"{member}ZoneLimits[{j}]", error));
                }
                else
                {
                    zones = zones.With(zone.Zone, limits);
                }
            }

            if (!_sites.TryAdd(site.Id, (calendar ?? _defaultSite.Calendar, zones)))
            {
                problems.Add(($"{member}Id", $"site '{site.Id}' is listed twice"));
            }
        }
    }

    /// <summary>Builds the catalog from settings that passed <see cref="Problems"/>.</summary>
    public static NoiseSettingsCatalog Create(NoiseOptions options)
    {
        var problems = new List<(string, string)>();
        var catalog = new NoiseSettingsCatalog(options, problems);
        return problems.Count == 0 ? catalog : throw new ArgumentException($"Invalid noise settings: {string.Join("; ", problems.Select(p => $"{p.Item1}: {p.Item2}"))}", nameof(options));
    }

    /// <summary>Everything wrong with the settings, each with the setting it is in, checked for every site a sensor may be at.</summary>
    public static IReadOnlyList<(string Member, string Problem)> Problems(NoiseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<(string Member, string Problem)>();
        var catalog = new NoiseSettingsCatalog(options, problems);
        var presets = options.Presets.GroupBy(p => p.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        problems.AddRange(presets.Select(name => ("Presets", $"preset '{name}' is defined twice")));

        IEnumerable<string?> sites = [null, .. options.Sites.Select(s => s.Id)];
        foreach (var site in sites)
        {
            catalog.Check("Defaults", site, [options.Defaults], problems);
            for (var i = 0; i < options.Presets.Count; i++)
            {
                catalog.Check($"Presets[{i}]", site, [options.Defaults, options.Presets[i]], problems);
            }
        }

        for (var i = 0; i < options.Sensors.Count; i++)
        {
            var sensor = options.Sensors[i];
            if (sensor.Preset is not null && options.Presets.All(p => p.Name != sensor.Preset))
            {
                problems.Add(($"Sensors[{i}].Preset", $"no preset named '{sensor.Preset}'"));
                continue;
            }

            foreach (var site in sensor.Site is null ? sites : [sensor.Site])
            {
                catalog.Check($"Sensors[{i}]", site, catalog.LayersOf(sensor), problems);
            }
        }

        return [.. problems.Distinct()];
    }

    /// <summary>The settings of a sensor at a site and gateway: its entry's, its preset's, or the defaults.</summary>
    public SensorNoiseSettings For(string site, string gateway, string device)
    {
        var entry = _options.Sensors.FirstOrDefault(s => s.Device == device && (s.Site ?? site) == site && (s.Gateway ?? gateway) == gateway);
        var problems = new List<(string, string)>();
        return Resolve(site, entry is null ? [_options.Defaults] : LayersOf(entry), problems)
            ?? throw new InvalidOperationException($"Noise settings of {site}/{gateway}/{device} failed a check made at start: {string.Join("; ", problems)}");
    }

    /// <summary>The limits of a zone class at a site, with the site's own table (a zone class set in the dashboard); false for no such class.</summary>
    public bool TryZoneLimits(string site, string zone, out ZoneLimits limits) =>
        (_sites.TryGetValue(site, out var found) ? found : _defaultSite).Zones.TryGet(zone, out limits);

    private NoiseRuleOptions[] LayersOf(NoiseSensorOptions sensor) =>
        sensor.Preset is null ? [_options.Defaults, sensor] : [_options.Defaults, _options.Presets.First(p => p.Name == sensor.Preset), sensor];

    private void Check(string member, string? site, NoiseRuleOptions[] layers, List<(string Member, string Problem)> problems)
    {
        var found = new List<(string Member, string Problem)>();
        Resolve(site, layers, found);
        problems.AddRange(found.Select(p => (member, site is null ? p.Problem : $"{p.Problem} (at site {site})")));
    }

    private SensorNoiseSettings? Resolve(string? site, NoiseRuleOptions[] layers, List<(string Member, string Problem)> problems)
    {
        var (calendar, zones) = site is not null && _sites.TryGetValue(site, out var found) ? found : _defaultSite;
        var zone = layers.Select(l => l.Zone).LastOrDefault(z => z is not null);
        var day = Last(layers, l => l.DayLimitDb);
        var night = Last(layers, l => l.NightLimitDb);
        ZoneLimits limits;
        if ((day is null) != (night is null))
        {
            problems.Add(("", "give both DayLimitDb and NightLimitDb, or neither"));
            return null;
        }

        if (day is not null)
        {
            if (!ZoneLimits.TryCreate(day.Value, night!.Value, out limits, out var error))
            {
                problems.Add(("", error));
                return null;
            }
        }
        else if (zone is null || !zones.TryGet(zone, out limits))
        {
            problems.Add(("", zone is null
                ? "no zone class (Zone) or own limits (DayLimitDb, NightLimitDb) for this sensor; set Noise.Defaults.Zone"
                : $"'{zone}' is not a zone class of GB 3096-2008 ({string.Join(", ", zones.Names)})"));
            return null;
        }

        var quiet = new List<QuietHours>();
        foreach (var hours in layers.Select(l => l.QuietHours).LastOrDefault(q => q is not null) ?? [])
        {
            if (!TryParseTime(hours.Start, out var start) || !TryParseTime(hours.End, out var end))
            {
                problems.Add(("", $"quiet hours '{hours.Start}'-'{hours.End}' are not local times as HH:mm"));
                return null;
            }

            quiet.Add(new QuietHours(start, end, hours.LimitDb));
        }

        var settings = new NoiseMonitorSettings { Limits = limits, Calendar = calendar, QuietHours = quiet };
        var ruleWindow = Last(layers, l => l.RuleWindowMinutes) is { } minutes ? TimeSpan.FromMinutes(minutes) : settings.RuleWindow;
        settings = settings with
        {
            WindowLengths = [.. settings.WindowLengths.Append(ruleWindow).Distinct()],
            RuleWindow = ruleWindow,
            Persistence = Last(layers, l => l.Persistence) ?? settings.Persistence,
            ClearMarginDb = Last(layers, l => l.ClearMarginDb) ?? settings.ClearMarginDb,
            ClearPersistence = Last(layers, l => l.ClearPersistence) ?? settings.ClearPersistence,
            BurstMarginDb = Last(layers, l => l.BurstMarginDb) ?? settings.BurstMarginDb,
            WarningInterval = Last(layers, l => l.WarningIntervalMinutes) is { } interval ? TimeSpan.FromMinutes(interval) : settings.WarningInterval,
            EscalateAfter = Last(layers, l => l.EscalateAfterMinutes) is { } escalate ? TimeSpan.FromMinutes(escalate) : settings.EscalateAfter,
            MaxSampleHold = Last(layers, l => l.MaxSampleHoldSeconds) is { } hold ? TimeSpan.FromSeconds(hold) : settings.MaxSampleHold,
            MinimumCoverage = Last(layers, l => l.MinimumCoverage) ?? settings.MinimumCoverage,
        };
        if (settings.Problem() is { } problem)
        {
            problems.Add(("", problem));
            return null;
        }

        var message = layers.Select(l => l.WarningMessage).LastOrDefault(m => m is not null) ?? DefaultWarningMessage;
        var text = layers.Select(l => l.WarningText).LastOrDefault(t => t is not null);
        if (!Topics.IsValidId(message) || (text is not null && text.Any(char.IsControl)))
        {
            problems.Add(("", $"the warning message '{message}' must be a key (letters, digits, '-', '_') and its text free of control characters"));
            return null;
        }

        return new SensorNoiseSettings(settings, message, text);
    }

    private static T? Last<T>(NoiseRuleOptions[] layers, Func<NoiseRuleOptions, T?> get)
        where T : struct => layers.Select(get).LastOrDefault(v => v is not null);

    private static NoiseCalendar? Calendar(string timeZone, string dayStart, string nightStart, string member, List<(string Member, string Problem)> problems)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone))
        {
            problems.Add(($"{member}TimeZone", $"'{timeZone}' is not a known time zone (IANA name, e.g. Asia/Shanghai)"));
            return null;
        }

        if (!TryParseTime(dayStart, out var day) || !TryParseTime(nightStart, out var night) || day >= night)
        {
            problems.Add(($"{member}DayStart", $"day start '{dayStart}' and night start '{nightStart}' must be local times as HH:mm, the day's first"));
            return null;
        }

        return new NoiseCalendar(zone, day, night);
    }

    private static bool TryParseTime(string text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
}
