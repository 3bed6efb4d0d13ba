namespace EdgeSafety.Appliances;

/// <summary>
/// A resistive heater: a kettle (runs until it boils, then switches itself off), a water heater (a long heat-up,
/// then its thermostat keeps the tank warm), a rice cooker (cooks at full power, then keeps warm in short bursts).
/// Current in phase with the voltage and free of harmonics; power follows the square of the voltage.
/// </summary>
internal sealed class HeaterLoad : Appliance
{
    private readonly double _powerW;
    private readonly double _fullPowerSeconds;
    private readonly DutyCycle? _afterwards;

    public HeaterLoad(ApplianceKind kind, HeaterSpec spec, ParameterDraw draw)
        : base(kind, draw)
    {
        _powerW = draw.Draw(spec.Power);
        _fullPowerSeconds = draw.Uniform(spec.FullPowerMinutes.Min, spec.FullPowerMinutes.Max) * 60;
        if (spec.ThermostatPeriodSeconds is { } period)
        {
            var cycle = draw.Uniform(period * 0.7, period * 1.3);
            _afterwards = new DutyCycle(cycle, draw.Uniform(spec.ThermostatOnFraction * 0.7, spec.ThermostatOnFraction * 1.3), _fullPowerSeconds + (cycle / 2), NoiseKey);
        }
    }

    public override void AddCurrent(double secondsOn, double voltageV, CurrentSpectrum current)
    {
        var keepingWarm = secondsOn >= _fullPowerSeconds && _afterwards is { } cycle && cycle.IsOn(secondsOn, out _);
        if (secondsOn < _fullPowerSeconds || keepingWarm)
        {
            AddResistance(current, _powerW, voltageV);
        }
    }

    public override IEnumerable<(double Start, double End)> RunningSpans(double onFor)
    {
        yield return (0, Math.Min(onFor, _fullPowerSeconds));
        if (_afterwards is { } cycle)
        {
            foreach (var span in cycle.Spans(onFor).Where(s => s.Start >= _fullPowerSeconds))
            {
                yield return span;
            }
        }
    }
}

/// <summary>A kind of heater: its power range, how long it heats at full power (minutes), and its thermostat afterwards if any.</summary>
internal sealed record HeaterSpec(ParameterRange Power, (double Min, double Max) FullPowerMinutes, double? ThermostatPeriodSeconds = null, double ThermostatOnFraction = 0)
{
    public IEnumerable<ParameterRange> Ranges => [Power];
}

/// <summary>
/// A hair dryer: a heater and a small fan motor behind a bridge rectifier. On its low setting the heater is fed
/// through one diode, which draws strong even harmonics.
/// </summary>
internal sealed class HairDryer : Appliance
{
    private static readonly HarmonicShape HalfWave = HarmonicShape.HalfWave();
    private readonly double _heaterW;
    private readonly bool _low;
    private readonly RectifierFrontEnd _motor;
    private readonly double _motorW;

    public HairDryer(ParameterDraw draw, ParameterRange power)
        : base(ApplianceKind.HairDryer, draw)
    {
        _heaterW = draw.Draw(power);
        _low = draw.Random.NextDouble() < 0.35;
        _motorW = draw.Uniform(25, 60);
        _motor = new RectifierFrontEnd(draw.Uniform(90, 140), draw.Uniform(2, 8), 0);
    }

    public override void AddCurrent(double secondsOn, double voltageV, CurrentSpectrum current)
    {
        var heater = _heaterW * (voltageV * voltageV) / (Circuit.NominalVoltage * Circuit.NominalVoltage);
        if (_low)
        {
            // Half the power through one diode: the fundamental carries it, the even harmonics ride on it.
            AddPowerOf(current, HalfWave, heater / 2, voltageV);
        }
        else
        {
            AddResistance(current, _heaterW, voltageV);
        }

        _motor.Add(current, _motorW, 1, voltageV);
    }
}

/// <summary>
/// A load driven through a rectifier and an inverter: an inverter air conditioner (active PFC; ramps its compressor
/// up after start, then modulates slowly), an induction cooker (a small film capacitor, so a near-sine current with
/// some h3; below its lowest continuous power it pulses on and off every few seconds), a microwave oven (a
/// transformer and magnetron: lagging and distorted; on part power it cycles over about half a minute).
/// </summary>
internal sealed class InverterDrive : Appliance
{
    private readonly ApplianceKind _kind;
    private readonly HarmonicShape? _shape;
    private readonly FrontEnd? _frontEnd;
    private readonly double _powerW;
    private readonly double _rampSeconds;
    private readonly double _settledFraction;
    private readonly double _auxiliaryW;
    private readonly DutyCycle? _pulsing;

    public InverterDrive(ApplianceKind kind, InverterSpec spec, ParameterDraw draw)
        : base(kind, draw)
    {
        _kind = kind;
        _powerW = draw.Draw(spec.Power);
        var h3 = spec.H3 is { } h3Range ? draw.Draw(h3Range) : 0;
        if (spec.FrontEnd is { } frontEnd)
        {
            _frontEnd = FrontEnd.Draw(frontEnd, draw);
        }
        else
        {
            var angles = new double[CurrentSpectrum.MaxOrder + 1];
            for (var order = 3; order < angles.Length; order += 2)
            {
                angles[order] = draw.Uniform(-Math.PI, Math.PI);
            }

            // Induction: a slight lead from the film capacitor; microwave: the transformer's lag.
            var angle = kind == ApplianceKind.Microwave ? -draw.Uniform(0.2, 0.4) : draw.Uniform(0.03, 0.12);
            _shape = HarmonicShape.OddHarmonics(angle, h3, 1.4, angles);
        }

        _rampSeconds = draw.Uniform(120, 480);
        _settledFraction = draw.Uniform(0.3, 0.6);
        _auxiliaryW = kind == ApplianceKind.Microwave ? draw.Uniform(30, 50) : draw.Uniform(5, 25);
        var partPower = draw.Random.NextDouble() < 0.4;
        _pulsing = kind switch
        {
            ApplianceKind.InductionCooker when partPower => new DutyCycle(draw.Uniform(4, 12), draw.Uniform(0.35, 0.7), 0, NoiseKey),
            ApplianceKind.Microwave when partPower => new DutyCycle(draw.Uniform(22, 32), draw.Uniform(0.35, 0.7), 0, NoiseKey),
            _ => null,
        };
    }

    public override void AddCurrent(double secondsOn, double voltageV, CurrentSpectrum current)
    {
        var power = _powerW;
        if (_kind == ApplianceKind.AirConditionerInverter)
        {
            // Soft start up to full speed, a while at full speed, then down to what holds the room's temperature.
            var settle = secondsOn < 2 * _rampSeconds ? 1 : _settledFraction + ((1 - _settledFraction) * Math.Exp(-(secondsOn - (2 * _rampSeconds)) / 600));
            power = _powerW * Math.Min(1, 0.15 + (secondsOn / _rampSeconds)) * settle * (1 + (0.08 * Hash.Smooth(NoiseKey, secondsOn, 240)));
        }

        var on = _pulsing is not { } pulsing || pulsing.IsOn(secondsOn, out _);
        if (_frontEnd is not null)
        {
            _frontEnd.Add(current, power + _auxiliaryW, (power + _auxiliaryW) / (_powerW + _auxiliaryW), voltageV);
            return;
        }

        AddPowerOf(current, _shape!, (on ? power * (1 + (0.01 * Hash.Smooth(NoiseKey, secondsOn, 5))) : 0) + _auxiliaryW, voltageV);
    }
}

/// <summary>
/// A kind of inverter-driven load: its power range and either the range of its h3 in % (induction cooker,
/// microwave) or a PFC front end (air conditioner).
/// </summary>
internal sealed record InverterSpec(ParameterRange Power, ParameterRange? H3, FrontEndRanges? FrontEnd = null)
{
    public IEnumerable<ParameterRange> Ranges => [Power, .. H3 is null ? [] : new[] { H3 }, .. FrontEnd?.All ?? []];
}
