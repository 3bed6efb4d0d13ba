using EdgeSafety.Analytics.Noise;
using EdgeSafety.Ingest.Noise;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Noise.Tests;

/// <summary>Ingest's noise settings: layered defaults, presets and sensors, per-site calendars and limits, checked at start.</summary>
public sealed class NoiseSettingsTests
{
    private static NoiseOptions Options() => new()
    {
        Defaults = new NoiseRuleOptions { Zone = "2" },
        Sites = [new NoiseSiteOptions { Id = "kashgar", TimeZone = "Asia/Urumqi", NightStart = "23:00", ZoneLimits = [new ZoneLimitOptions { Zone = "1", DayDb = 58, NightDb = 48 }] }],
        Presets = [new NoisePresetOptions { Name = "rented-flats", Zone = "1", QuietHours = [new QuietHoursOptions { Start = "12:00", End = "14:00" }], WarningIntervalMinutes = 15 }],
        Sensors =
        [
            new NoiseSensorOptions { Device = "noise-301", Preset = "rented-flats", Persistence = 3 },
            new NoiseSensorOptions { Device = "noise-road", Site = "haizhu", DayLimitDb = 68, NightLimitDb = 58 },
        ],
    };

    [Fact]
    public void A_sensor_takes_its_sites_calendar_and_limits_then_defaults_preset_and_own_settings_in_that_order()
    {
        var catalog = NoiseSettingsCatalog.Create(Options());

        var flat = catalog.For("haizhu", "gw-01", "noise-301").Monitor;
        (flat.Limits, flat.Persistence, flat.WarningInterval, flat.QuietHours.Single().Start).Should().Be((new ZoneLimits(55, 45), 3, TimeSpan.FromMinutes(15), new TimeOnly(12, 0)));
        flat.Calendar.Zone.Id.Should().Be("Asia/Shanghai");

        var sameSensorElsewhere = catalog.For("kashgar", "gw-09", "noise-301").Monitor;
        (sameSensorElsewhere.Limits, sameSensorElsewhere.Calendar.Zone.Id, sameSensorElsewhere.Calendar.NightStart).Should().Be((new ZoneLimits(58, 48), "Asia/Urumqi", new TimeOnly(23, 0)));

        catalog.For("haizhu", "gw-01", "noise-road").Monitor.Limits.Should().Be(new ZoneLimits(68, 58));
        var unlisted = catalog.For("haizhu", "gw-01", "noise-courtyard");
        (unlisted.Monitor.Limits, unlisted.Monitor.Persistence, unlisted.WarningMessage).Should().Be((new ZoneLimits(60, 50), 2, NoiseSettingsCatalog.DefaultWarningMessage));
        catalog.For("kashgar", "gw-09", "noise-road").Monitor.Limits.Should().Be(new ZoneLimits(60, 50), "its entry is for haizhu only");
    }

    [Fact]
    public void Every_problem_is_named_by_its_setting()
    {
        var options = Options();
        options.Defaults.Zone = null;
        options.Sites[0].TimeZone = "Asia/Atlantis";
        options.Sensors[0].Preset = "hotels";
        options.Sensors[1].NightLimitDb = 70;
        options.Presets[0].QuietHours![0].End = "2pm";

        NoiseSettingsCatalog.Problems(options).Should().Contain([
            ("Sites[0].TimeZone", "'Asia/Atlantis' is not a known time zone (IANA name, e.g. Asia/Shanghai)"),
            ("Defaults", "no zone class (Zone) or own limits (DayLimitDb, NightLimitDb) for this sensor; set Noise.Defaults.Zone"),
            ("Presets[0]", "quiet hours '12:00'-'2pm' are not local times as HH:mm"),
            ("Sensors[0].Preset", "no preset named 'hotels'"),
            ("Sensors[1]", "the night limit 70 is above the day limit 68 (at site haizhu)"),
        ]);
    }

    [Fact]
    public async Task Ingest_refuses_to_start_on_wrong_noise_settings_and_names_them()
    {
        using var ingest = ServiceProcess.Start("EdgeSafety.Ingest", LoopbackPort.Next(), "--Noise:Defaults:Zone=5", "--Noise:Defaults:Persistence=0");

        (await ingest.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(2);
        ingest.Output.Should().Contain("Noise.Defaults: '5' is not a zone class of GB 3096-2008 (0, 1, 2, 3, 4a, 4b)")
            .And.Contain("Noise.Defaults.Persistence: The field Persistence must be between 1 and 100.");
    }
}
