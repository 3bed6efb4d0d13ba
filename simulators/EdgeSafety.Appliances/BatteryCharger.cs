namespace EdgeSafety.Appliances;

/// <summary>What a battery charger is doing: constant current, constant voltage with the current tapering, a lead-acid float, or finished.</summary>
public enum ChargingStage
{
    Bulk,
    Absorption,
    Float,
    Done,
}

public enum BatteryChemistry
{
    LeadAcid,
    Lithium,
}

/// <summary>A stage of one charging session, in seconds from plug-in; a float stage lasts until unplugged (End is infinity).</summary>
public readonly record struct StageSpan(ChargingStage Stage, double Start, double End);

/// <summary>
/// A charger with its battery, from plug-in. Lead-acid (three stages): bulk at the rated current until the battery
/// reaches the absorption voltage, absorption at that voltage with the current falling exponentially until it drops
/// to the switch current (the charger's light turns green), then float at a lower voltage with a small current for
/// as long as it stays plugged in. Lithium (CC-CV): constant current to the cells' full voltage, constant voltage
/// until the current falls to the cut-off, then the output stops and only the charger's standby draw is left.
/// The state of charge at plug-in places the session on that curve: a nearly full battery starts in absorption, late.
/// </summary>
public sealed class BatteryCharger : Appliance
{
    private readonly FrontEnd _frontEnd;
    private readonly double _cells;
    private readonly double _emptyCellVolts;
    private readonly double _fullCellVolts;
    private readonly double _floatCellVolts;
    private readonly double _switchStateOfCharge;
    private readonly double _endCurrent;
    private readonly double _efficiency;
    private readonly double _auxiliaryW;
    private readonly double _standbyW;
    private readonly double _taperSeconds;
    private readonly double _absorptionStartCurrent;
    private readonly double _floatMinimumCurrent;
    private readonly double _floatSeconds;
    private readonly double _fullInputW;
    private readonly StageSpan[] _stages;

    internal BatteryCharger(ApplianceKind kind, ChargerSpec spec, ParameterDraw draw, double stateOfCharge)
        : base(kind, draw)
    {
        Chemistry = spec.Chemistry;
        InitialStateOfCharge = Math.Clamp(stateOfCharge, 0, 0.999);
        _cells = spec.Cells;
        RatedCurrentA = draw.Draw(spec.RatedCurrent);
        CapacityAh = RatedCurrentA * draw.Draw(spec.HoursAtRatedCurrent);
        _fullCellVolts = draw.Draw(spec.FullCellVoltage);
        _efficiency = draw.Draw(spec.Efficiency);
        _frontEnd = FrontEnd.Draw(spec.FrontEnd, draw);
        var lead = Chemistry == BatteryChemistry.LeadAcid;
        _emptyCellVolts = lead ? draw.Uniform(2.0, 2.1) : draw.Uniform(3.3, 3.5);
        _floatCellVolts = lead ? draw.Uniform(2.23, 2.29) : 0;
        _switchStateOfCharge = lead ? draw.Uniform(0.72, 0.85) : draw.Uniform(0.85, 0.93);
        _endCurrent = lead ? draw.Uniform(0.2, 0.5) : RatedCurrentA * draw.Uniform(0.06, 0.12);
        _auxiliaryW = draw.Uniform(1.5, 4);
        _standbyW = draw.Uniform(0.3, 1.2);
        _floatMinimumCurrent = draw.Uniform(0.04, 0.12);
        _floatSeconds = draw.Uniform(1_200, 3_600);
        NominalBatteryVoltageV = spec.NominalVoltage;
        _fullInputW = _cells * _fullCellVolts * RatedCurrentA / _efficiency;

        // Absorption: I(t) = I0 e^{-t/tau} delivers tau (I0 - I_end) ampere-seconds, which must fill the battery
        // from the switch point to full; a battery plugged in above the switch point starts at the lower I0 that
        // leaves exactly its remaining charge.
        var chargeEfficiency = lead ? 0.9 : 0.99;
        var toFullFromSwitch = (1 - _switchStateOfCharge) * CapacityAh * 3600 / chargeEfficiency;
        _taperSeconds = toFullFromSwitch / (RatedCurrentA - _endCurrent);
        double bulkSeconds;
        if (InitialStateOfCharge < _switchStateOfCharge)
        {
            bulkSeconds = (_switchStateOfCharge - InitialStateOfCharge) * CapacityAh * 3600 / chargeEfficiency / RatedCurrentA;
            _absorptionStartCurrent = RatedCurrentA;
        }
        else
        {
            bulkSeconds = 0;
            var remaining = (1 - InitialStateOfCharge) * CapacityAh * 3600 / chargeEfficiency;
            _absorptionStartCurrent = Math.Max(_endCurrent * 1.05, _endCurrent + (remaining / _taperSeconds));
        }

        var absorptionEnd = bulkSeconds + (_taperSeconds * Math.Log(_absorptionStartCurrent / _endCurrent));
        var last = lead ? ChargingStage.Float : ChargingStage.Done;
        _stages = bulkSeconds > 0
            ? [new(ChargingStage.Bulk, 0, bulkSeconds), new(ChargingStage.Absorption, bulkSeconds, absorptionEnd), new(last, absorptionEnd, double.PositiveInfinity)]
            : [new(ChargingStage.Absorption, 0, absorptionEnd), new(last, absorptionEnd, double.PositiveInfinity)];
    }

    public BatteryChemistry Chemistry { get; }

    public double InitialStateOfCharge { get; }

    public double RatedCurrentA { get; }

    public double CapacityAh { get; }

    /// <summary>The battery's nominal voltage (48, 60, 72 V for e-bikes).</summary>
    public double NominalBatteryVoltageV { get; }

    /// <summary>The stages from plug-in; the last one (float or done) lasts until unplugged.</summary>
    public IReadOnlyList<StageSpan> Stages => _stages;

    /// <summary>When charging proper ends (seconds from plug-in): lithium at cut-off; lead-acid never while plugged in (float charges).</summary>
    public double ChargingEndsAfter => Chemistry == BatteryChemistry.Lithium ? _stages[^1].Start : double.PositiveInfinity;

    public ChargingStage StageAt(double secondsOn)
    {
        foreach (var stage in _stages)
        {
            if (secondsOn < stage.End)
            {
                return stage.Stage;
            }
        }

        return _stages[^1].Stage;
    }

    /// <summary>The charger's output to the battery at a time from plug-in: volts and amperes.</summary>
    public (double Volts, double Amperes) OutputAt(double secondsOn)
    {
        var fullVolts = _cells * _fullCellVolts;
        var ripple = 1 + (0.004 * Hash.Smooth(NoiseKey, secondsOn, 7));
        foreach (var stage in _stages)
        {
            if (secondsOn >= stage.End)
            {
                continue;
            }

            var into = secondsOn - stage.Start;
            switch (stage.Stage)
            {
                case ChargingStage.Bulk:
                    // The battery's voltage climbs with its charge, steeper towards the switch point.
                    var progress = into / stage.End;
                    var charge = InitialStateOfCharge + (progress * (_switchStateOfCharge - InitialStateOfCharge));
                    var level = charge / _switchStateOfCharge;
                    var volts = _cells * (_emptyCellVolts + ((_fullCellVolts - _emptyCellVolts) * level * level));
                    return (volts, RatedCurrentA * ripple);
                case ChargingStage.Absorption:
                    return (fullVolts, _absorptionStartCurrent * Math.Exp(-into / _taperSeconds) * ripple);
                case ChargingStage.Float:
                    var floatCurrent = _floatMinimumCurrent + (((_endCurrent * 0.6) - _floatMinimumCurrent) * Math.Exp(-into / _floatSeconds));
                    return (_cells * _floatCellVolts, Math.Max(_floatMinimumCurrent, floatCurrent) * ripple);
                default:
                    return (0, 0);
            }
        }

        return (0, 0);
    }

    /// <summary>Active power taken from the mains at a time from plug-in (the charger regulates its output, so it does not depend on the mains voltage).</summary>
    public double InputPowerW(double secondsOn)
    {
        var (volts, amperes) = OutputAt(secondsOn);
        return amperes > 0 ? (volts * amperes / _efficiency) + _auxiliaryW : _standbyW;
    }

    public override void AddCurrent(double secondsOn, double voltageV, CurrentSpectrum current)
    {
        var power = InputPowerW(secondsOn);
        _frontEnd.Add(current, power, power / _fullInputW, voltageV);
    }

    /// <summary>Energy taken from the mains (Wh) from plug-in to the given time, by integration in 10 s steps.</summary>
    public double EnergyWh(double until)
    {
        const double step = 10;
        var energy = 0.0;
        for (var t = 0.0; t < until; t += step)
        {
            energy += InputPowerW(t + (Math.Min(step, until - t) / 2)) * Math.Min(step, until - t);
        }

        return energy / 3600;
    }
}

/// <summary>
/// What makes a kind of charger: its battery and the documented ranges of its parameters. The battery's capacity
/// is given as hours at the rated current (capacity / rated current), as chargers are sized to their batteries.
/// </summary>
internal sealed record ChargerSpec(
    BatteryChemistry Chemistry,
    int Cells,
    double NominalVoltage,
    ParameterRange RatedCurrent,
    ParameterRange HoursAtRatedCurrent,
    ParameterRange FullCellVoltage,
    ParameterRange Efficiency,
    FrontEndRanges FrontEnd)
{
    public IEnumerable<ParameterRange> Ranges => [RatedCurrent, HoursAtRatedCurrent, FullCellVoltage, Efficiency, .. FrontEnd.All];
}
