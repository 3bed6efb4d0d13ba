namespace EdgeSafety.Appliances;

/// <summary>The quantities a meter derives from the current's phasors on a sinusoidal supply, without any noise.</summary>
public static class Metering
{
    public static MeterSample Read(DateTimeOffset timestamp, double voltageV, double frequencyHz, CurrentSpectrum current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var fundamental = current.Magnitude(1);
        Span<double> percents = stackalloc double[HarmonicPercents.LastOrder - HarmonicPercents.FirstOrder + 1];
        var harmonicsSquared = 0.0;
        for (var order = HarmonicPercents.FirstOrder; order <= HarmonicPercents.LastOrder; order++)
        {
            var magnitude = current.Magnitude(order);
            harmonicsSquared += magnitude * magnitude;
            percents[order - HarmonicPercents.FirstOrder] = fundamental > 0 ? 100 * magnitude / fundamental : 0;
        }

        var rms = Math.Sqrt((fundamental * fundamental) + harmonicsSquared);
        var power = voltageV * current.Real(1);
        var apparent = voltageV * rms;
        return new MeterSample(
            timestamp,
            voltageV,
            rms,
            power,
            apparent,
            -voltageV * current.Imaginary(1),
            apparent > 0 ? power / apparent : 1,
            frequencyHz,
            fundamental > 0 ? 100 * Math.Sqrt(harmonicsSquared) / fundamental : 0,
            new HarmonicPercents(percents));
    }
}
