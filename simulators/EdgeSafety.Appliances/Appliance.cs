namespace EdgeSafety.Appliances;

/// <summary>
/// One appliance with its drawn parameters: what current it draws, harmonic by harmonic, at any moment after it was
/// switched on. Its behaviour is a function of the time since switch-on (no hidden state), so it can be evaluated at
/// any sampling interval and gives the same current whatever was evaluated before.
/// </summary>
public abstract class Appliance
{
    private protected Appliance(ApplianceKind kind, ParameterDraw draw)
    {
        Kind = kind;
        Parameters = draw.Values;
        NoiseKey = (ulong)draw.Random.NextInt64();
    }

    public ApplianceKind Kind { get; }

    /// <summary>The kind's name, as the control API and the ground truth spell it ("ebike-lead-acid-48v").</summary>
    public string Name => ApplianceCatalog.NameOf(Kind);

    /// <summary>The parameters drawn for this appliance, by the names of its kind's ranges (ApplianceCatalog.RangesOf).</summary>
    public IReadOnlyDictionary<string, double> Parameters { get; }

    /// <summary>Key of this appliance's own fluctuations (see Hash).</summary>
    private protected ulong NoiseKey { get; }

    /// <summary>Adds the current drawn the given number of seconds after switch-on from a supply at the given voltage.</summary>
    public abstract void AddCurrent(double secondsOn, double voltageV, CurrentSpectrum current);

    /// <summary>
    /// The spans (seconds from switch-on) within an on-time of the given length in which the appliance really draws
    /// power: a refrigerator's compressor runs, a thermostat's heating. By default all of it.
    /// </summary>
    public virtual IEnumerable<(double Start, double End)> RunningSpans(double onFor) => [(0, onFor)];

    /// <summary>A constant-power load: the fundamental takes the active power at the shape's displacement.</summary>
    internal static void AddPowerOf(CurrentSpectrum current, HarmonicShape shape, double activePowerW, double voltageV, double harmonicScale = 1)
    {
        var fundamental = activePowerW / (voltageV * Math.Cos(shape.FundamentalAngle));
        current.Add(shape, fundamental, harmonicScale);
    }

    /// <summary>A resistance rated at the given power at 220 V: its power follows the square of the voltage.</summary>
    private protected static void AddResistance(CurrentSpectrum current, double ratedPowerW, double voltageV) =>
        current.AddParts(1, ratedPowerW * voltageV / (Circuit.NominalVoltage * Circuit.NominalVoltage), 0);
}
