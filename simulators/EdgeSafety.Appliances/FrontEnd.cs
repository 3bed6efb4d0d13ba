namespace EdgeSafety.Appliances;

/// <summary>
/// The input stage of a switched-mode power supply, which decides the harmonics it draws: a plain capacitor-input
/// rectifier (a short pulse at each voltage peak) or an active power-factor-corrected stage (a near-sinusoidal
/// current, plus the interference filter's capacitor).
/// </summary>
internal abstract class FrontEnd
{
    /// <summary>Adds the current for the given input power; loadFraction is that power over the supply's full power.</summary>
    public abstract void Add(CurrentSpectrum current, double inputPowerW, double loadFraction, double voltageV);

    public static FrontEnd Draw(FrontEndRanges ranges, ParameterDraw draw) => ranges.Pfc
        ? new PfcFrontEnd(draw.Draw(ranges.First), draw.Draw(ranges.Second), draw.Draw(ranges.Third), draw)
        : new RectifierFrontEnd(draw.Draw(ranges.First), draw.Draw(ranges.Second), draw.Draw(ranges.Third));
}

/// <summary>
/// A capacitor-input rectifier. The conduction angle narrows as the load falls (the capacitor's ripple shrinks), as
/// the square root of the load roughly, with a floor: at standby it is a narrow spike.
/// </summary>
internal sealed class RectifierFrontEnd(double fullLoadWidthDegrees, double endAfterPeakDegrees, double asymmetryPct) : FrontEnd
{
    private const double DegreesToRadians = Math.PI / 180;

    public override void Add(CurrentSpectrum current, double inputPowerW, double loadFraction, double voltageV)
    {
        var width = Math.Max(14, fullLoadWidthDegrees * Math.Sqrt(Math.Clamp(loadFraction, 0, 1.2)));
        new RectifierPulse(width * DegreesToRadians, endAfterPeakDegrees * DegreesToRadians, asymmetryPct / 100)
            .AddTo(current, inputPowerW, voltageV);
    }
}

/// <summary>
/// An active PFC stage: odd harmonics of a few % that grow at light load; below about 8 % load the controller
/// stops (burst mode) and the supply draws like a small capacitor-input rectifier.
/// </summary>
internal sealed class PfcFrontEnd : FrontEnd
{
    private readonly HarmonicShape _shape;
    private readonly double _emiMicrofarads;
    private readonly RectifierFrontEnd _standby;

    public PfcFrontEnd(double h3Percent, double decay, double emiMicrofarads, ParameterDraw draw)
    {
        var angles = new double[CurrentSpectrum.MaxOrder + 1];
        for (var order = 3; order < angles.Length; order += 2)
        {
            // Crossover distortion puts h3 near opposition to the fundamental; higher orders scatter.
            angles[order] = order == 3 ? Math.PI + draw.Uniform(-0.6, 0.6) : draw.Uniform(-Math.PI, Math.PI);
        }

        _shape = HarmonicShape.OddHarmonics(draw.Uniform(-0.03, 0.01), h3Percent, decay, angles);
        _emiMicrofarads = emiMicrofarads;
        _standby = new RectifierFrontEnd(draw.Uniform(55, 80), draw.Uniform(2, 8), draw.Uniform(0, 2));
    }

    public override void Add(CurrentSpectrum current, double inputPowerW, double loadFraction, double voltageV)
    {
        if (loadFraction < 0.08)
        {
            _standby.Add(current, inputPowerW, loadFraction / 0.08, voltageV);
        }
        else
        {
            var lightLoad = 1 - Math.Min(loadFraction, 1);
            Appliance.AddPowerOf(current, _shape, inputPowerW, voltageV, 1 + (3 * lightLoad * lightLoad));
        }

        current.AddParts(1, 0, voltageV * 2 * Math.PI * Circuit.NominalFrequency * _emiMicrofarads * 1e-6);
    }
}

/// <summary>
/// The documented ranges of a front end. A rectifier's: full-load conduction angle (degrees), how far after the peak
/// the pulse ends (degrees), asymmetry between half-cycles (%). A PFC stage's: h3 at full load (%), how fast higher
/// orders fall ((3/h)^decay), interference filter capacitance (µF).
/// </summary>
internal sealed record FrontEndRanges(bool Pfc, ParameterRange First, ParameterRange Second, ParameterRange Third)
{
    public static FrontEndRanges Rectifier(double widthMin, double widthMax, double heldOutWidthMin, double heldOutWidthMax) => new(
        false,
        new ParameterRange("conduction_angle", "°", widthMin, widthMax, heldOutWidthMin, heldOutWidthMax),
        new ParameterRange("pulse_end_after_peak", "°", 2, 7, 0, 10),
        ParameterRange.Shared("half_cycle_asymmetry", "%", 0, 2));

    public static FrontEndRanges ActivePfc(double h3Min, double h3Max, double heldOutH3Min, double heldOutH3Max) => new(
        true,
        new ParameterRange("pfc_h3", "%", h3Min, h3Max, heldOutH3Min, heldOutH3Max),
        new ParameterRange("pfc_harmonic_decay", "", 1.0, 1.6, 0.7, 2.0),
        new ParameterRange("emi_capacitance", "µF", 0.3, 0.7, 0.1, 1.0));

    public IEnumerable<ParameterRange> All => [First, Second, Third];
}
