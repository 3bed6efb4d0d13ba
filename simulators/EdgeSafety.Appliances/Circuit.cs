namespace EdgeSafety.Appliances;

/// <summary>
/// The supply and the meter of one household circuit. The supply is 220 V nominal (China) at 50 Hz, sinusoidal, with
/// a daily swing (lowest in the evening peak), a slow wander and the drop across the service cable under load. The
/// meter reads the phasor sum of every load with its own noise: a gain error common to all orders, a floor of a few
/// milliamperes per order, and below a starting current of 10 mA it reads no current at all, as real meters do.
/// </summary>
internal sealed class Circuit
{
    public const double NominalVoltage = 220;
    public const double NominalFrequency = 50;
    private const double StartingCurrent = 0.010;
    private const double SourceResistanceOhms = 0.25;

    private readonly FastRandom _noise;
    private readonly CurrentSpectrum _measured = new();
    private readonly ulong _key;
    private readonly double _localHourAtStart;

    public Circuit(ulong seed, DateTimeOffset start)
    {
        _noise = new FastRandom(seed);
        _key = seed * 0x9E3779B97F4A7C15UL;
        _localHourAtStart = start.TimeOfDay.TotalHours;
        Start = start;
    }

    public DateTimeOffset Start { get; }

    /// <summary>The open-circuit supply voltage at a time (seconds from the start): what the loads are fed with.</summary>
    public double SupplyVoltage(double time)
    {
        var hour = (_localHourAtStart + (time / 3600)) % 24;
        var daily = -0.018 * Math.Cos(2 * Math.PI * (hour - 20) / 24);
        var wander = (2.0 * Hash.Smooth(_key, time, 1800)) + (0.8 * Hash.Smooth(_key + 1, time, 240));
        return (NominalVoltage * (1 + daily)) + wander;
    }

    /// <summary>What the meter reads at a time (seconds from the start) when the loads draw the given current.</summary>
    public MeterSample Read(double time, double supplyVoltage, CurrentSpectrum current)
    {
        var gain = 1 + (0.001 * _noise.NextGaussian());
        _measured.Clear();
        for (var order = 1; order <= CurrentSpectrum.MaxOrder; order++)
        {
            var floor = order == 1 ? 0.002 : 0.0006;
            _measured.AddParts(
                order,
                (current.Real(order) * gain) + (floor * _noise.NextGaussian()),
                (current.Imaginary(order) * gain) + (floor * _noise.NextGaussian()));
        }

        var voltage = supplyVoltage - (SourceResistanceOhms * current.Real(1)) + (0.15 * _noise.NextGaussian());
        var frequency = NominalFrequency + (0.03 * Hash.Smooth(_key + 2, time, 600)) + (0.002 * _noise.NextGaussian());
        var timestamp = Start + TimeSpan.FromSeconds(time);
        return _measured.Magnitude(1) < StartingCurrent
            ? new MeterSample(timestamp, voltage, 0, 0, 0, 0, 1, frequency, 0, default)
            : Metering.Read(timestamp, voltage, frequency, _measured);
    }
}
