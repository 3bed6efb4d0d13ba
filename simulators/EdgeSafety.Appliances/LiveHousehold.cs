namespace EdgeSafety.Appliances;

/// <summary>An appliance plugged in from outside (the simulator's control API), with what it is doing now.</summary>
/// <param name="Name">The kind's name ("ebike-lead-acid-48v").</param>
/// <param name="Kind">Its kind.</param>
/// <param name="PluggedIn">When it was plugged in, in the household's simulated time.</param>
/// <param name="Stage">A charger's stage now; null for other appliances.</param>
/// <param name="PowerW">Active power it draws now, at nominal voltage.</param>
public sealed record PluggedAppliance(string Name, ApplianceKind Kind, DateTimeOffset PluggedIn, ChargingStage? Stage, double PowerW);

/// <summary>Settings of a live household.</summary>
public sealed record LiveHouseholdOptions
{
    /// <summary>The kind of household; null draws it from the seed.</summary>
    public HouseholdKind? Household { get; init; }

    /// <summary>Whether the household's own schedule runs (lights, cooking, screens, ...); false leaves only what is plugged in from outside.</summary>
    public bool Schedule { get; init; } = true;

    /// <summary>Whether the household's own schedule includes e-bike charging; by default only plug-ins from outside charge.</summary>
    public bool ScheduledCharging { get; init; }

    public ParameterSet ParameterSet { get; init; } = ParameterSet.Training;
}

/// <summary>
/// A household driven in real time: its own daily schedule (planned day by day as time passes) plus appliances
/// plugged in and unplugged from outside. Time is moved on by the caller, so a demo may run it faster than the clock.
/// Thread-safe: one thread may advance it while others plug and unplug.
/// </summary>
public sealed class LiveHousehold
{
    private readonly HouseholdPlanner _planner;
    private readonly LiveHouseholdOptions _options;
    private readonly Circuit _circuit;
    private readonly CurrentSpectrum _current = new();
    private readonly List<Activation> _pending = [];
    private readonly List<Activation> _active = [];
    private readonly List<Activation> _plugged = [];
    private readonly Random _random;
    private readonly double _localHourAtStart;
    private readonly Lock _lock = new();
    private int _plannedDays;
    private double _time;

    public LiveHousehold(int seed, DateTimeOffset start, LiveHouseholdOptions? options = null)
    {
        _options = options ?? new LiveHouseholdOptions();
        _localHourAtStart = start.TimeOfDay.TotalHours;
        var scenario = new ScenarioOptions { Household = _options.Household, Charging = _options.ScheduledCharging };
        _planner = new HouseholdPlanner(seed, _options.ParameterSet, scenario, _localHourAtStart);
        _circuit = new Circuit((ulong)Hash.Seed(seed, 0x11fe), start);
        _random = new Random(Hash.Seed(seed, 0x9106));
        Start = start;
        if (_options.Schedule)
        {
            _active.AddRange(_planner.AlwaysOn());
        }
    }

    public DateTimeOffset Start { get; }

    public HouseholdKind Kind => _planner.Kind;

    /// <summary>The simulated time now.</summary>
    public DateTimeOffset Now
    {
        get
        {
            lock (_lock)
            {
                return Start + TimeSpan.FromSeconds(_time);
            }
        }
    }

    /// <summary>Moves simulated time on and reads the meter.</summary>
    public MeterSample Advance(TimeSpan elapsed)
    {
        lock (_lock)
        {
            _time += Math.Max(0, elapsed.TotalSeconds);
            if (_options.Schedule)
            {
                PlanAhead();
            }

            _pending.Sort((a, b) => a.On.CompareTo(b.On));
            while (_pending.Count > 0 && _pending[0].On <= _time)
            {
                _active.Add(_pending[0]);
                _pending.RemoveAt(0);
            }

            return GeneratedHousehold.Read(_circuit, _current, _active, _time);
        }
    }

    /// <summary>
    /// Plugs in an appliance of the kind now (a charger with its battery at the given state of charge, or one drawn
    /// as households see it). One of each kind at a time: plugging in a kind already plugged in replaces it.
    /// </summary>
    public PluggedAppliance PlugIn(ApplianceKind kind, double? stateOfCharge = null)
    {
        lock (_lock)
        {
            RemovePlugged(kind);
            var appliance = ApplianceCatalog.IsCharger(kind)
                ? ApplianceCatalog.CreateCharger(kind, _options.ParameterSet, new Random(_random.Next()), stateOfCharge ?? ApplianceCatalog.DrawStateOfCharge(_random))
                : ApplianceCatalog.Create(kind, _options.ParameterSet, new Random(_random.Next()));
            var activation = new Activation(appliance, _time, double.PositiveInfinity);
            _plugged.Add(activation);
            _active.Add(activation);
            return StatusOf(activation);
        }
    }

    /// <summary>Unplugs the appliance of the kind plugged in from outside; false if none was.</summary>
    public bool Unplug(ApplianceKind kind)
    {
        lock (_lock)
        {
            return RemovePlugged(kind);
        }
    }

    /// <summary>What is plugged in from outside, and what each is doing now.</summary>
    public IReadOnlyList<PluggedAppliance> Plugged
    {
        get
        {
            lock (_lock)
            {
                return _plugged.Select(StatusOf).ToList();
            }
        }
    }

    private bool RemovePlugged(ApplianceKind kind)
    {
        var found = _plugged.FindIndex(a => a.Appliance.Kind == kind);
        if (found < 0)
        {
            return false;
        }

        _active.Remove(_plugged[found]);
        _plugged.RemoveAt(found);
        return true;
    }

    private PluggedAppliance StatusOf(Activation activation)
    {
        var on = _time - activation.On;
        var power = new CurrentSpectrum();
        activation.Appliance.AddCurrent(on, Circuit.NominalVoltage, power);
        return new PluggedAppliance(
            activation.Appliance.Name,
            activation.Appliance.Kind,
            Start + TimeSpan.FromSeconds(activation.On),
            activation.Appliance is BatteryCharger charger ? charger.StageAt(on) : null,
            Circuit.NominalVoltage * power.Real(1));
    }

    /// <summary>Plans each local day before it begins (and the current one at the start).</summary>
    private void PlanAhead()
    {
        while ((_plannedDays * 86_400.0) - (_localHourAtStart * 3600) <= _time + 3600)
        {
            _pending.AddRange(_planner.PlanDay(_plannedDays).Where(a => a.Off > _time));
            _plannedDays++;
        }
    }
}
