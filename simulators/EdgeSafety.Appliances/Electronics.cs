namespace EdgeSafety.Appliances;

/// <summary>
/// An electronic load behind a switched-mode supply: a TV, a monitor, a desktop PC, LED lighting, a router, a phone
/// or laptop charger. Its power holds (with the flicker of its content or work) and, for a charger, tapers after a
/// while to what the device draws once its battery is full.
/// </summary>
internal sealed class ElectronicLoad : Appliance
{
    private readonly FrontEnd _frontEnd;
    private readonly double _powerW;
    private readonly double _fullPowerW;
    private readonly ElectronicsSpec _spec;
    private readonly double _holdSeconds;

    public ElectronicLoad(ApplianceKind kind, ElectronicsSpec spec, ParameterDraw draw)
        : base(kind, draw)
    {
        _spec = spec;
        _powerW = draw.Draw(spec.Power);
        _frontEnd = FrontEnd.Draw(spec.FrontEnd, draw);
        _holdSeconds = spec.TaperAfterMinutes is { } minutes ? draw.Uniform(minutes * 0.5, minutes * 1.5) * 60 : double.PositiveInfinity;
        _fullPowerW = _powerW * (1 + spec.Flicker);
    }

    public override void AddCurrent(double secondsOn, double voltageV, CurrentSpectrum current)
    {
        var envelope = 1.0;
        if (secondsOn > _holdSeconds)
        {
            envelope = _spec.FinalFraction + ((1 - _spec.FinalFraction) * Math.Exp(-(secondsOn - _holdSeconds) / (_spec.TaperMinutes * 60)));
        }

        var power = _powerW * envelope * (1 + (_spec.Flicker * Hash.Smooth(NoiseKey, secondsOn, _spec.FlickerPeriodSeconds)));
        _frontEnd.Add(current, power, power / _fullPowerW, voltageV);
    }
}

/// <summary>
/// A kind of electronic load: its power range and front end, how much its power flickers and how fast (a PC's
/// work, a TV's picture), and, for a charger, after how many minutes (about) it tapers, over how many, to what share.
/// </summary>
internal sealed record ElectronicsSpec(
    ParameterRange Power,
    FrontEndRanges FrontEnd,
    double Flicker,
    double FlickerPeriodSeconds,
    double? TaperAfterMinutes = null,
    double TaperMinutes = 1,
    double FinalFraction = 1)
{
    public IEnumerable<ParameterRange> Ranges => [Power, .. FrontEnd.All];
}
