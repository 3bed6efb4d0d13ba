namespace EdgeSafety.Appliances;

/// <summary>One generated household over a window: its ground truth, and its meter's readings on demand.</summary>
public sealed class GeneratedHousehold
{
    private readonly IReadOnlyList<Activation> _activations;

    internal GeneratedHousehold(
        int seed,
        ParameterSet parameterSet,
        HouseholdKind kind,
        DateTimeOffset start,
        TimeSpan duration,
        TimeSpan sampleInterval,
        IReadOnlyList<Activation> activations)
    {
        Seed = seed;
        ParameterSet = parameterSet;
        Kind = kind;
        Start = start;
        Duration = duration;
        SampleInterval = sampleInterval;
        _activations = activations;
        Truth = GroundTruthOf(kind, start, duration, activations);
    }

    public int Seed { get; }

    public ParameterSet ParameterSet { get; }

    public HouseholdKind Kind { get; }

    public DateTimeOffset Start { get; }

    public TimeSpan Duration { get; }

    public TimeSpan SampleInterval { get; }

    public GroundTruth Truth { get; }

    /// <summary>How many readings Samples yields.</summary>
    public long SampleCount => (long)Math.Ceiling(Duration.TotalSeconds / SampleInterval.TotalSeconds);

    /// <summary>
    /// The meter's readings, one per interval from Start. Computed while enumerated (constant memory); every
    /// enumeration yields the same values, and several may run at once on different threads.
    /// </summary>
    public IEnumerable<MeterSample> Samples
    {
        get
        {
            var circuit = new Circuit((ulong)Hash.Seed(Seed, (int)ParameterSet, 0xc1c), Start);
            var current = new CurrentSpectrum();
            var active = new List<Activation>();
            var next = 0;
            var interval = SampleInterval.TotalSeconds;
            for (long i = 0; i < SampleCount; i++)
            {
                var time = i * interval;
                while (next < _activations.Count && _activations[next].On <= time)
                {
                    active.Add(_activations[next++]);
                }

                yield return Read(circuit, current, active, time);
            }
        }
    }

    /// <summary>The phasor sum of what is on at the time, as the meter reads it; drops what has been switched off.</summary>
    internal static MeterSample Read(Circuit circuit, CurrentSpectrum current, List<Activation> active, double time)
    {
        for (var i = active.Count - 1; i >= 0; i--)
        {
            if (active[i].Off <= time)
            {
                active.RemoveAt(i);
            }
        }

        current.Clear();
        var voltage = circuit.SupplyVoltage(time);
        foreach (var activation in active)
        {
            activation.Appliance.AddCurrent(time - activation.On, voltage, current);
        }

        return circuit.Read(time, voltage, current);
    }

    private static GroundTruth GroundTruthOf(HouseholdKind kind, DateTimeOffset start, TimeSpan duration, IReadOnlyList<Activation> activations)
    {
        var end = duration.TotalSeconds;
        DateTimeOffset At(double seconds) => start + TimeSpan.FromSeconds(seconds);

        var sessions = new List<ChargingSession>();
        var intervals = new List<ApplianceInterval>();
        foreach (var activation in activations)
        {
            var on = Math.Max(activation.On, 0);
            var off = Math.Min(activation.Off, end);
            foreach (var (spanStart, spanEnd) in activation.Appliance.RunningSpans(off - activation.On))
            {
                var from = activation.On + spanStart;
                if (spanEnd > spanStart && activation.On + spanEnd > on && from < off)
                {
                    intervals.Add(new ApplianceInterval(activation.Appliance.Name, activation.Appliance.Kind, At(Math.Max(from, on)), At(activation.On + spanEnd)));
                }
            }

            if (activation.Appliance is BatteryCharger charger && ApplianceCatalog.IsEbikeCharger(charger.Kind))
            {
                sessions.Add(SessionOf(charger, activation, At));
            }
        }

        intervals.Sort((a, b) => a.On.CompareTo(b.On));
        return new GroundTruth(kind, sessions, intervals);
    }

    internal static ChargingSession SessionOf(BatteryCharger charger, Activation activation, Func<double, DateTimeOffset> at)
    {
        var pluggedFor = activation.Off - activation.On;
        var chargingFor = Math.Min(pluggedFor, charger.ChargingEndsAfter);
        var stages = charger.Stages
            .Where(s => s.Start < pluggedFor)
            .Select(s => new ChargingStageInterval(s.Stage, at(activation.On + s.Start), at(activation.On + Math.Min(s.End, pluggedFor))))
            .ToList();
        return new ChargingSession(
            charger.Kind,
            at(activation.On),
            at(activation.On + chargingFor),
            at(activation.Off),
            stages,
            charger.EnergyWh(chargingFor),
            charger.InitialStateOfCharge,
            charger.RatedCurrentA,
            charger.NominalBatteryVoltageV);
    }
}
