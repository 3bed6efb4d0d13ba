namespace EdgeSafety.Appliances;

/// <summary>
/// An induction motor: a refrigerator's or a fixed-speed air conditioner's compressor, a fan. Lagging current with a
/// little odd distortion from the iron's saturation; a compressor starts with an inrush of several times its running
/// current that dies within a second, draws a bit more while the pressures settle, and cycles on its thermostat.
/// </summary>
internal sealed class MotorLoad : Appliance
{
    private readonly HarmonicShape _shape;
    private readonly double _powerW;
    private readonly double _inrush;
    private readonly double _inrushSeconds;
    private readonly DutyCycle? _cycle;

    public MotorLoad(ApplianceKind kind, MotorSpec spec, ParameterDraw draw)
        : base(kind, draw)
    {
        _powerW = draw.Draw(spec.Power);
        var powerFactor = draw.Draw(spec.PowerFactor);
        var h3 = draw.Draw(spec.H3);
        var angles = new double[CurrentSpectrum.MaxOrder + 1];
        for (var order = 3; order < angles.Length; order += 2)
        {
            angles[order] = draw.Uniform(-Math.PI, Math.PI);
        }

        _shape = HarmonicShape.OddHarmonics(-Math.Acos(powerFactor), h3, 2.2, angles);
        _inrush = spec.Compressor ? draw.Uniform(3, 6) : draw.Uniform(0.2, 0.8);
        _inrushSeconds = draw.Uniform(0.2, 0.6);
        if (spec.CycleMinutes is { } minutes)
        {
            var period = draw.Uniform(minutes * 0.7, minutes * 1.3) * 60;
            _cycle = new DutyCycle(period, draw.Uniform(spec.OnFraction * 0.7, spec.OnFraction * 1.3), -draw.Uniform(0, period), NoiseKey);
        }
    }

    public override void AddCurrent(double secondsOn, double voltageV, CurrentSpectrum current)
    {
        var running = secondsOn;
        if (_cycle is { } cycle && !cycle.IsOn(secondsOn, out running))
        {
            return;
        }

        var power = _powerW * (1 + (0.15 * Math.Exp(-running / 120)) + (0.02 * Hash.Smooth(NoiseKey, secondsOn, 30)));
        var inrush = 1 + (_inrush * Math.Exp(-running / _inrushSeconds));
        AddPowerOf(current, _shape, power * inrush, voltageV);
    }

    public override IEnumerable<(double Start, double End)> RunningSpans(double onFor) =>
        _cycle is { } cycle ? cycle.Spans(onFor) : base.RunningSpans(onFor);
}

/// <summary>A kind of motor load: running power, power factor and h3 ranges; whether it is a compressor; its thermostat's cycle (minutes) and on-share.</summary>
internal sealed record MotorSpec(ParameterRange Power, ParameterRange PowerFactor, ParameterRange H3, bool Compressor, double? CycleMinutes = null, double OnFraction = 0.5)
{
    public IEnumerable<ParameterRange> Ranges => [Power, PowerFactor, H3];
}

/// <summary>
/// A washing machine's programme: fill, wash (the motor turns a few seconds each way, with pauses), an optional
/// heating, drain, rinse, and a spin that ramps up; afterwards only its electronics.
/// </summary>
internal sealed class WashingMachine : Appliance
{
    private readonly HarmonicShape _motorShape;
    private readonly double _motorW;
    private readonly double _heaterW;
    private readonly double _heatingSeconds;
    private readonly DutyCycle _agitation;

    public WashingMachine(ParameterDraw draw, MotorSpec spec)
        : base(ApplianceKind.WashingMachine, draw)
    {
        _motorW = draw.Draw(spec.Power);
        var powerFactor = draw.Draw(spec.PowerFactor);
        var h3 = draw.Draw(spec.H3);
        var angles = new double[CurrentSpectrum.MaxOrder + 1];
        for (var order = 3; order < angles.Length; order += 2)
        {
            angles[order] = draw.Uniform(-Math.PI, Math.PI);
        }

        _motorShape = HarmonicShape.OddHarmonics(-Math.Acos(powerFactor), h3, 2, angles);
        ProgrammeSeconds = draw.Uniform(40, 90) * 60;
        _heaterW = draw.Uniform(1_700, 2_000);
        _heatingSeconds = draw.Random.NextDouble() < 0.3 ? draw.Uniform(8, 20) * 60 : 0;
        _agitation = new DutyCycle(draw.Uniform(12, 20), draw.Uniform(0.55, 0.75), 0, NoiseKey);
    }

    /// <summary>How long the programme runs.</summary>
    public double ProgrammeSeconds { get; }

    public override void AddCurrent(double secondsOn, double voltageV, CurrentSpectrum current)
    {
        AddResistance(current, 4, voltageV);
        var phase = secondsOn / ProgrammeSeconds;
        if (phase >= 1)
        {
            return;
        }

        var washing = phase is >= 0.05 and < 0.55 || phase is >= 0.6 and < 0.8;
        if (washing && _agitation.IsOn(secondsOn, out var turning))
        {
            AddPowerOf(current, _motorShape, _motorW * (1 + (0.6 * Math.Exp(-turning / 0.8))), voltageV);
        }
        else if (phase is >= 0.55 and < 0.6)
        {
            AddPowerOf(current, _motorShape, 35, voltageV);
        }
        else if (phase >= 0.8)
        {
            var spin = Math.Min(1, (phase - 0.8) / 0.08);
            AddPowerOf(current, _motorShape, _motorW * (0.5 + (1.2 * spin)), voltageV);
        }

        var heatingFrom = 0.05 * ProgrammeSeconds;
        if (secondsOn >= heatingFrom && secondsOn < heatingFrom + _heatingSeconds)
        {
            AddResistance(current, _heaterW, voltageV);
        }
    }

    public override IEnumerable<(double Start, double End)> RunningSpans(double onFor) => [(0, Math.Min(onFor, ProgrammeSeconds))];
}
