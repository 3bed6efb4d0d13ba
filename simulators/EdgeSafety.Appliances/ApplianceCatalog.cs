namespace EdgeSafety.Appliances;

/// <summary>
/// Every kind of appliance with its name, the documented ranges of its parameters (Training and HeldOut, see
/// docs/appliances.md) and how to make one.
/// </summary>
public static class ApplianceCatalog
{
    private static readonly Dictionary<ApplianceKind, Entry> Entries = BuildEntries();
    private static readonly Dictionary<string, ApplianceKind> ByName = Entries.ToDictionary(e => e.Value.Name, e => e.Key, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every kind, in declaration order.</summary>
    public static IReadOnlyList<ApplianceKind> Kinds { get; } = Enum.GetValues<ApplianceKind>();

    /// <summary>The e-bike chargers: what a detector must find.</summary>
    public static IReadOnlyList<ApplianceKind> EbikeChargers { get; } = Kinds.Where(IsEbikeCharger).ToArray();

    /// <summary>Kinds with a battery charger inside, e-bike or not (the e-scooter and power-tool chargers look alike).</summary>
    public static bool IsCharger(ApplianceKind kind) => Entries[kind].Charger is not null;

    public static bool IsEbikeCharger(ApplianceKind kind) => kind <= ApplianceKind.EbikeLithium60VPfc;

    /// <summary>The kind's name in the control API and the ground truth: "ebike-lead-acid-48v", "refrigerator".</summary>
    public static string NameOf(ApplianceKind kind) => Entries[kind].Name;

    public static bool TryParse(string name, out ApplianceKind kind) => ByName.TryGetValue(name, out kind);

    /// <summary>The ranges this kind's parameters are drawn from, as documented.</summary>
    public static IReadOnlyList<ParameterRange> RangesOf(ApplianceKind kind) => Entries[kind].Ranges;

    /// <summary>
    /// One appliance of the kind with parameters drawn from the set's ranges. A charger's battery is plugged in at
    /// a state of charge drawn as households see it (mostly part-empty, sometimes nearly full).
    /// </summary>
    public static Appliance Create(ApplianceKind kind, ParameterSet set, Random random) =>
        IsCharger(kind) ? CreateCharger(kind, set, random, DrawStateOfCharge(random)) : Entries[kind].Create(new ParameterDraw(set, random));

    /// <summary>A charger of the kind with its battery at the given state of charge (0..1) at plug-in.</summary>
    public static BatteryCharger CreateCharger(ApplianceKind kind, ParameterSet set, Random random, double stateOfCharge)
    {
        var spec = Entries[kind].Charger ?? throw new ArgumentException($"{NameOf(kind)} is not a charger.", nameof(kind));
        return new BatteryCharger(kind, spec, new ParameterDraw(set, random), stateOfCharge);
    }

    /// <summary>State of charge at plug-in: 70 % of sessions between 10 and 60 %, 20 % between 60 and 85 %, 10 % nearly full.</summary>
    public static double DrawStateOfCharge(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var pick = random.NextDouble();
        var (min, max) = pick < 0.7 ? (0.05, 0.6) : pick < 0.9 ? (0.6, 0.85) : (0.85, 0.97);
        return min + (random.NextDouble() * (max - min));
    }

    private sealed record Entry(string Name, IReadOnlyList<ParameterRange> Ranges, Func<ParameterDraw, Appliance> Create, ChargerSpec? Charger = null);

    private static ParameterRange R(string name, string unit, double min, double max, double heldOutMin, double heldOutMax) =>
        new(name, unit, min, max, heldOutMin, heldOutMax);

    private static Dictionary<ApplianceKind, Entry> BuildEntries()
    {
        var entries = new Dictionary<ApplianceKind, Entry>();

        void Charger(ApplianceKind kind, string name, ChargerSpec spec) =>
            entries[kind] = new Entry(name, spec.Ranges.ToArray(), _ => throw new InvalidOperationException("chargers are made by CreateCharger"), spec);
        void Electronics(ApplianceKind kind, string name, ElectronicsSpec spec) =>
            entries[kind] = new Entry(name, spec.Ranges.ToArray(), draw => new ElectronicLoad(kind, spec, draw));
        void Motor(ApplianceKind kind, string name, MotorSpec spec) =>
            entries[kind] = new Entry(name, spec.Ranges.ToArray(), draw => new MotorLoad(kind, spec, draw));
        void Heater(ApplianceKind kind, string name, HeaterSpec spec) =>
            entries[kind] = new Entry(name, spec.Ranges.ToArray(), draw => new HeaterLoad(kind, spec, draw));
        void Inverter(ApplianceKind kind, string name, InverterSpec spec) =>
            entries[kind] = new Entry(name, spec.Ranges.ToArray(), draw => new InverterDrive(kind, spec, draw));

        // E-bike chargers. Lead-acid: 2 V cells, absorption at the full-cell voltage; lithium: 3.6 V nominal cells
        // (13 for 48 V, 16 for 60 V), CV at the full-cell voltage.
        var leadHours = R("hours_at_rated_current", "h", 4.5, 7.5, 3.5, 9);
        var lithiumHours = R("hours_at_rated_current", "h", 3.5, 6, 2.5, 7.5);
        var leadFull = R("full_cell_voltage", "V", 2.42, 2.47, 2.38, 2.52);
        var lithiumFull = R("full_cell_voltage", "V", 4.15, 4.20, 4.10, 4.22);
        var plainEfficiency = R("efficiency", "", 0.80, 0.87, 0.75, 0.90);
        var pfcEfficiency = R("efficiency", "", 0.88, 0.93, 0.85, 0.95);
        var chargerRectifier = FrontEndRanges.Rectifier(45, 65, 35, 75);
        var chargerPfc = FrontEndRanges.ActivePfc(2, 6, 1, 9);
        Charger(ApplianceKind.EbikeLeadAcid48V, "ebike-lead-acid-48v", new(BatteryChemistry.LeadAcid, 24, 48,
            R("rated_current", "A", 1.8, 2.8, 1.4, 3.5), leadHours, leadFull, plainEfficiency, chargerRectifier));
        Charger(ApplianceKind.EbikeLeadAcid60V, "ebike-lead-acid-60v", new(BatteryChemistry.LeadAcid, 30, 60,
            R("rated_current", "A", 2.0, 3.0, 1.6, 3.8), leadHours, leadFull, plainEfficiency, chargerRectifier));
        Charger(ApplianceKind.EbikeLeadAcid72V, "ebike-lead-acid-72v", new(BatteryChemistry.LeadAcid, 36, 72,
            R("rated_current", "A", 2.2, 3.2, 1.8, 4.0), leadHours, leadFull, plainEfficiency, chargerRectifier));
        Charger(ApplianceKind.EbikeLithium48V, "ebike-lithium-48v", new(BatteryChemistry.Lithium, 13, 48,
            R("rated_current", "A", 2.0, 3.5, 1.5, 4.5), lithiumHours, lithiumFull, plainEfficiency, chargerRectifier));
        Charger(ApplianceKind.EbikeLithium60V, "ebike-lithium-60v", new(BatteryChemistry.Lithium, 16, 60,
            R("rated_current", "A", 2.0, 3.5, 1.5, 4.5), lithiumHours, lithiumFull, plainEfficiency, chargerRectifier));
        Charger(ApplianceKind.EbikeLithium48VPfc, "ebike-lithium-48v-pfc", new(BatteryChemistry.Lithium, 13, 48,
            R("rated_current", "A", 3.0, 5.0, 2.5, 6.0), lithiumHours, lithiumFull, pfcEfficiency, chargerPfc));
        Charger(ApplianceKind.EbikeLithium60VPfc, "ebike-lithium-60v-pfc", new(BatteryChemistry.Lithium, 16, 60,
            R("rated_current", "A", 3.0, 5.0, 2.5, 6.0), lithiumHours, lithiumFull, pfcEfficiency, chargerPfc));

        // The look-alike chargers: same electronics, smaller batteries.
        Charger(ApplianceKind.EscooterCharger, "escooter-charger", new(BatteryChemistry.Lithium, 10, 36,
            R("rated_current", "A", 1.5, 2.0, 1.0, 2.5), R("hours_at_rated_current", "h", 4, 6, 3, 7.5), lithiumFull, plainEfficiency, FrontEndRanges.Rectifier(45, 65, 35, 75)));
        Charger(ApplianceKind.PowerToolCharger, "power-tool-charger", new(BatteryChemistry.Lithium, 5, 18,
            R("rated_current", "A", 2.0, 4.0, 1.5, 6.0), R("hours_at_rated_current", "h", 0.6, 1.5, 0.4, 2), lithiumFull, plainEfficiency, FrontEndRanges.Rectifier(55, 75, 45, 85)));

        Electronics(ApplianceKind.LaptopCharger, "laptop-charger", new(R("power", "W", 30, 65, 20, 75), FrontEndRanges.Rectifier(50, 70, 40, 80), 0.1, 20, 60, 30, 0.35));
        Electronics(ApplianceKind.LaptopChargerPfc, "laptop-charger-pfc", new(R("power", "W", 90, 150, 75, 200), FrontEndRanges.ActivePfc(2, 6, 1, 10), 0.15, 15, 60, 30, 0.3));
        Electronics(ApplianceKind.PhoneCharger, "phone-charger", new(R("power", "W", 8, 20, 5, 30), FrontEndRanges.Rectifier(40, 60, 30, 70), 0.03, 10, 50, 20, 0.1));
        Electronics(ApplianceKind.DesktopPc, "desktop-pc", new(R("power", "W", 80, 200, 60, 300), FrontEndRanges.ActivePfc(3, 7, 1.5, 10), 0.25, 15));
        Electronics(ApplianceKind.Television, "television", new(R("power", "W", 50, 120, 35, 160), FrontEndRanges.Rectifier(55, 75, 45, 85), 0.12, 6));
        Electronics(ApplianceKind.Monitor, "monitor", new(R("power", "W", 15, 35, 10, 45), FrontEndRanges.Rectifier(45, 65, 35, 75), 0.05, 8));
        Electronics(ApplianceKind.LedLighting, "led-lighting", new(R("power", "W", 10, 40, 6, 60), FrontEndRanges.Rectifier(40, 60, 30, 70), 0, 60));
        Electronics(ApplianceKind.Router, "router", new(R("power", "W", 5, 12, 3, 18), FrontEndRanges.Rectifier(35, 55, 28, 65), 0.03, 30));

        Motor(ApplianceKind.Refrigerator, "refrigerator", new(R("power", "W", 70, 140, 50, 180), R("power_factor", "", 0.6, 0.8, 0.5, 0.88), R("h3", "%", 4, 12, 2, 18), true, 40, 0.4));
        Motor(ApplianceKind.AirConditionerFixedSpeed, "air-conditioner-fixed", new(R("power", "W", 700, 1400, 500, 1800), R("power_factor", "", 0.88, 0.97, 0.8, 0.99), R("h3", "%", 3, 8, 1.5, 12), true, 25, 0.6));
        Motor(ApplianceKind.Fan, "fan", new(R("power", "W", 25, 60, 15, 80), R("power_factor", "", 0.85, 0.97, 0.75, 0.99), R("h3", "%", 2, 6, 1, 9), false));
        var washer = new MotorSpec(R("power", "W", 150, 350, 100, 450), R("power_factor", "", 0.5, 0.7, 0.4, 0.8), R("h3", "%", 3, 10, 1, 15), false);
        entries[ApplianceKind.WashingMachine] = new Entry("washing-machine", washer.Ranges.ToArray(), draw => new WashingMachine(draw, washer));

        Inverter(ApplianceKind.AirConditionerInverter, "air-conditioner-inverter", new(R("power", "W", 800, 1500, 600, 2000), null, FrontEndRanges.ActivePfc(2, 6, 1, 10)));
        Inverter(ApplianceKind.InductionCooker, "induction-cooker", new(R("power", "W", 1200, 2100, 900, 2400), R("h3", "%", 8, 20, 4, 28)));
        Inverter(ApplianceKind.Microwave, "microwave", new(R("power", "W", 1000, 1400, 800, 1600), R("h3", "%", 15, 30, 8, 40)));

        Heater(ApplianceKind.Kettle, "kettle", new(R("power", "W", 1500, 2000, 1200, 2400), (2, 5)));
        Heater(ApplianceKind.RiceCooker, "rice-cooker", new(R("power", "W", 500, 900, 350, 1100), (25, 40), 180, 0.1));
        Heater(ApplianceKind.WaterHeater, "water-heater", new(R("power", "W", 1500, 2500, 1200, 3000), (20, 60), 1800, 0.2));
        var dryer = R("power", "W", 1000, 1800, 700, 2200);
        entries[ApplianceKind.HairDryer] = new Entry("hair-dryer", [dryer], draw => new HairDryer(draw, dryer));
        return entries;
    }
}
