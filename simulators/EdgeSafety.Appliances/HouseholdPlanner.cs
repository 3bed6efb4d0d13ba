namespace EdgeSafety.Appliances;

/// <summary>An appliance switched on at On and off at Off, in seconds from the start of the simulation.</summary>
internal sealed record Activation(Appliance Appliance, double On, double Off);

/// <summary>
/// What a household owns and when it uses it, day by day. Each day is planned from its own seed, so a day's plan
/// does not depend on which days were planned before (the live household plans as it goes). The household's
/// appliances are the same every day (same parameters); a charger's battery comes back at a different charge.
/// </summary>
internal sealed class HouseholdPlanner
{
    private const double Hour = 3600;
    private const double Day = 24 * Hour;

    private readonly int _seed;
    private readonly ParameterSet _set;
    private readonly ScheduleRanges _schedule;
    private readonly Dictionary<(ApplianceKind Kind, int Index), int> _applianceSeeds = [];
    private readonly Dictionary<(ApplianceKind Kind, int Index), Appliance> _appliances = [];
    private readonly HashSet<ApplianceKind> _owned = [];
    private readonly List<ApplianceKind> _ebikeChargers = [];
    private readonly double _chargingDayProbability;
    private readonly double _firstMidnight;

    public HouseholdPlanner(int seed, ParameterSet set, ScenarioOptions options, double localHourAtStart)
    {
        _seed = seed;
        _set = set;
        _schedule = set == ParameterSet.Training ? ScheduleRanges.Training : ScheduleRanges.HeldOut;
        _firstMidnight = -localHourAtStart * Hour;
        var random = new Random(seed);
        Kind = options.Household ?? (random.NextDouble() < 0.6 ? HouseholdKind.RentedRoom : HouseholdKind.FamilyFlat);
        var flat = Kind == HouseholdKind.FamilyFlat;

        void Own(ApplianceKind kind, double probability)
        {
            if (random.NextDouble() < probability)
            {
                _owned.Add(kind);
            }
        }

        Own(ApplianceKind.Router, 0.9);
        Own(ApplianceKind.Refrigerator, flat ? 1 : 0.5);
        Own(ApplianceKind.LedLighting, 1);
        Own(ApplianceKind.PhoneCharger, 1);
        Own(random.NextDouble() < 0.25 ? ApplianceKind.LaptopChargerPfc : ApplianceKind.LaptopCharger, flat ? 0.7 : 0.6);
        Own(ApplianceKind.DesktopPc, flat ? 0.3 : 0.25);
        Own(ApplianceKind.Television, flat ? 0.95 : 0.4);
        Own(ApplianceKind.Kettle, 0.8);
        Own(ApplianceKind.RiceCooker, flat ? 0.9 : 0.5);
        Own(ApplianceKind.InductionCooker, flat ? 0.6 : 0.4);
        Own(ApplianceKind.Microwave, flat ? 0.5 : 0.3);
        Own(ApplianceKind.HairDryer, flat ? 0.8 : 0.5);
        Own(ApplianceKind.WashingMachine, flat ? 0.9 : 0.3);
        Own(ApplianceKind.WaterHeater, flat ? 0.7 : 0.5);
        Own(random.NextDouble() < 0.5 ? ApplianceKind.AirConditionerInverter : ApplianceKind.AirConditionerFixedSpeed, flat ? 0.8 : 0.6);
        Own(ApplianceKind.Fan, 0.6);
        Own(ApplianceKind.EscooterCharger, _schedule.EscooterOwners);
        Own(ApplianceKind.PowerToolCharger, flat ? 0.15 : 0.05);
        if (_owned.Contains(ApplianceKind.DesktopPc))
        {
            _owned.Add(ApplianceKind.Monitor);
        }

        var ownsEbike = random.NextDouble() < (flat ? 0.6 : 0.75);
        if (options.Charging && ownsEbike)
        {
            var chargers = options.EbikeChargers ?? ApplianceCatalog.EbikeChargers;
            _ebikeChargers.Add(chargers[random.Next(chargers.Count)]);
            if (flat && random.NextDouble() < 0.3)
            {
                _ebikeChargers.Add(chargers[random.Next(chargers.Count)]);
            }
        }

        _chargingDayProbability = options.ChargingDayProbability ?? random.NextDouble() switch
        {
            < 0.3 => 0.9,
            < 0.7 => 0.6,
            _ => 0.3,
        };
    }

    public HouseholdKind Kind { get; }

    /// <summary>Appliances on all the time (a router, a refrigerator plugged in for good), from before the start to long after.</summary>
    public IEnumerable<Activation> AlwaysOn()
    {
        foreach (var kind in new[] { ApplianceKind.Router, ApplianceKind.Refrigerator }.Where(_owned.Contains))
        {
            yield return new Activation(Instance(kind, 0), -Day, double.PositiveInfinity);
        }
    }

    /// <summary>The activations switched on during local day number `day` (0 is the day the simulation starts in).</summary>
    public List<Activation> PlanDay(int day)
    {
        var random = new Random(Hash.Seed(_seed, day, 0x5eed));
        var midnight = _firstMidnight + (day * Day);
        var plan = new List<Activation>();
        var flat = Kind == HouseholdKind.FamilyFlat;

        double HourIn(double from, double to) => from + (random.NextDouble() * (to - from));

        void Use(ApplianceKind kind, double probability, double fromHour, double toHour, double minMinutes, double maxMinutes, int index = 0)
        {
            if (_owned.Contains(kind) && random.NextDouble() < probability)
            {
                var on = midnight + (HourIn(fromHour, toHour) * Hour);
                plan.Add(new Activation(Instance(kind, index), on, on + (HourIn(minMinutes, maxMinutes) * 60)));
            }
        }

        // Light, cooking, hot water: morning and evening.
        Use(ApplianceKind.LedLighting, 0.5, 6.3, 7.5, 15, 45);
        Use(ApplianceKind.LedLighting, 1, 17.8, 19.5, 200, 330);
        Use(ApplianceKind.Kettle, 0.7, 6.5, 8.5, 3, 6);
        Use(ApplianceKind.Kettle, 0.4, 10, 17, 3, 6, 0);
        Use(ApplianceKind.Kettle, 0.7, 19, 22.5, 3, 6);
        Use(ApplianceKind.RiceCooker, flat ? 0.5 : 0.1, 11, 11.8, 50, 100);
        Use(ApplianceKind.RiceCooker, flat ? 0.9 : 0.6, 17.3, 19, 60, 130);
        Use(ApplianceKind.InductionCooker, flat ? 0.5 : 0.2, 11.2, 12.3, 8, 25);
        Use(ApplianceKind.InductionCooker, flat ? 0.9 : 0.6, 17.8, 19.5, 8, 30);
        Use(ApplianceKind.Microwave, 0.5, 7, 8.5, 1, 4);
        Use(ApplianceKind.Microwave, 0.5, 12, 21, 2, 7);
        Use(ApplianceKind.HairDryer, 0.4, 6.8, 8, 3, 10);
        Use(ApplianceKind.HairDryer, 0.4, 21, 23.5, 4, 12);
        Use(ApplianceKind.WaterHeater, 0.8, 19.5, 22.5, 40, 100);
        Use(ApplianceKind.WashingMachine, flat ? 0.4 : 0.1, 8.5, 20, 90, 100);

        // Screens and the look-alike chargers, often in the evening and at night.
        Use(ApplianceKind.Television, flat ? 0.9 : 0.5, 19, 21, 60, 200);
        Use(ApplianceKind.Television, flat ? 0.3 : 0.1, 12, 14, 30, 90);
        if (_owned.Contains(ApplianceKind.DesktopPc) && random.NextDouble() < 0.6)
        {
            var on = midnight + (HourIn(18.5, 21.5) * Hour);
            var off = on + (HourIn(90, 300) * 60);
            plan.Add(new Activation(Instance(ApplianceKind.DesktopPc, 0), on, off));
            plan.Add(new Activation(Instance(ApplianceKind.Monitor, 0), on + 5, off - 5));
        }

        var laptop = _owned.Contains(ApplianceKind.LaptopChargerPfc) ? ApplianceKind.LaptopChargerPfc : ApplianceKind.LaptopCharger;
        Use(laptop, 0.6, 19, 23, 60, 240);
        Use(laptop, _schedule.LaptopOvernight, _schedule.NightFrom, _schedule.NightTo, 400, 600, 1);
        Use(laptop, 0.25, 9, 16, 60, 180, 2);
        Use(ApplianceKind.PhoneCharger, 0.9, 21.5, 25, 90, 420);
        Use(ApplianceKind.PhoneCharger, flat ? 0.8 : 0.2, 20, 24, 90, 300, 1);
        Use(ApplianceKind.PhoneCharger, 0.3, 9, 18, 30, 90, 2);
        Use(ApplianceKind.EscooterCharger, 0.5, _schedule.ChargingEveningFrom, _schedule.ChargingEveningTo, 240, 600);
        Use(ApplianceKind.PowerToolCharger, 0.15, 9, 17, 60, 150);

        // Cooling: on a hot day the air conditioner in the evening and through the night; otherwise perhaps a fan.
        if (random.NextDouble() < 0.45)
        {
            var cooler = _owned.Contains(ApplianceKind.AirConditionerInverter) ? ApplianceKind.AirConditionerInverter : ApplianceKind.AirConditionerFixedSpeed;
            Use(cooler, 0.6, 19, 21, 90, 180);
            Use(cooler, 0.8, 21.5, 23.5, 420, 560, 0);
            Use(ApplianceKind.Fan, 0.5, 13, 16, 60, 240);
        }
        else
        {
            Use(ApplianceKind.Fan, 0.4, 20, 23, 120, 480);
        }

        foreach (var (charger, index) in _ebikeChargers.Select((c, i) => (c, i)))
        {
            if (random.NextDouble() < _chargingDayProbability)
            {
                plan.Add(PlanCharging(random, charger, index, midnight));
            }
        }

        return plan;
    }

    /// <summary>
    /// One e-bike charging session: mostly plugged in during the evening and left overnight; some in the daytime;
    /// some owners unplug soon after the charger finishes.
    /// </summary>
    private Activation PlanCharging(Random random, ApplianceKind kind, int index, double midnight)
    {
        var charger = ApplianceCatalog.CreateCharger(kind, _set, new Random(SeedOf(kind, index)), ApplianceCatalog.DrawStateOfCharge(random));
        var daytime = random.NextDouble() < _schedule.DaytimeChargingShare;
        var on = midnight + (Hour * (daytime
            ? _schedule.DaytimeFrom + (random.NextDouble() * (_schedule.DaytimeTo - _schedule.DaytimeFrom))
            : _schedule.ChargingEveningFrom + (random.NextDouble() * (_schedule.ChargingEveningTo - _schedule.ChargingEveningFrom))));
        var finished = charger.Stages[^1].Start;
        double off;
        if (random.NextDouble() < 0.3)
        {
            off = on + finished + (random.NextDouble() * 90 * 60);
        }
        else if (daytime)
        {
            off = on + Math.Min(finished + (random.NextDouble() * 3 * Hour), (6 + (random.NextDouble() * 3)) * Hour);
        }
        else
        {
            off = midnight + Day + ((6.5 + (random.NextDouble() * 2.5)) * Hour);
        }

        return new Activation(charger, on, Math.Max(off, on + (10 * 60)));
    }

    private Appliance Instance(ApplianceKind kind, int index)
    {
        if (!_appliances.TryGetValue((kind, index), out var appliance))
        {
            appliance = ApplianceCatalog.Create(kind, _set, new Random(SeedOf(kind, index)));
            _appliances[(kind, index)] = appliance;
        }

        return appliance;
    }

    private int SeedOf(ApplianceKind kind, int index)
    {
        if (!_applianceSeeds.TryGetValue((kind, index), out var seed))
        {
            seed = Hash.Seed(_seed, (int)kind, index, 0xa991);
            _applianceSeeds[(kind, index)] = seed;
        }

        return seed;
    }
}

/// <summary>
/// When households do things, in local hours (above 24 is after midnight). HeldOut moves the windows and shares:
/// earlier and later charging, more of it in the daytime, more laptops left on overnight, more e-scooters.
/// </summary>
internal sealed record ScheduleRanges(
    double ChargingEveningFrom,
    double ChargingEveningTo,
    double DaytimeChargingShare,
    double DaytimeFrom,
    double DaytimeTo,
    double NightFrom,
    double NightTo,
    double LaptopOvernight,
    double EscooterOwners)
{
    public static ScheduleRanges Training { get; } = new(18.5, 24.5, 0.15, 10, 16, 22, 24.5, 0.3, 0.08);

    public static ScheduleRanges HeldOut { get; } = new(17, 26, 0.3, 9.5, 17.5, 21, 26, 0.45, 0.15);
}
