namespace EdgeSafety.Appliances;

/// <summary>
/// A current as a meter on a sinusoidal supply sees it: one phasor per harmonic order 1..31, in amperes RMS, with
/// its angle against the voltage's own zero of that order (positive angle = leading). Loads on one circuit add here
/// as phasors, so harmonics of loads with different phase partly cancel as they do on a real wire.
/// </summary>
public sealed class CurrentSpectrum
{
    public const int MaxOrder = 31;

    private readonly double[] _real = new double[MaxOrder + 1];
    private readonly double[] _imaginary = new double[MaxOrder + 1];

    public double Real(int order) => _real[order];

    public double Imaginary(int order) => _imaginary[order];

    public double Magnitude(int order) => Math.Sqrt((_real[order] * _real[order]) + (_imaginary[order] * _imaginary[order]));

    public void Clear()
    {
        Array.Clear(_real);
        Array.Clear(_imaginary);
    }

    /// <summary>Adds a phasor of the given order: magnitude in amperes RMS, angle in radians (positive leads).</summary>
    public void Add(int order, double amperes, double angle)
    {
        var (sin, cos) = Math.SinCos(angle);
        _real[order] += amperes * cos;
        _imaginary[order] += amperes * sin;
    }

    /// <summary>Adds a phasor given by its parts: in phase with the voltage, and in quadrature (positive leads).</summary>
    public void AddParts(int order, double inPhase, double quadrature)
    {
        _real[order] += inPhase;
        _imaginary[order] += quadrature;
    }

    /// <summary>
    /// Adds a load whose harmonics are a shape scaled to its fundamental; harmonicScale multiplies the harmonics alone
    /// (a power-factor-corrected supply distorts more at light load).
    /// </summary>
    public void Add(HarmonicShape shape, double fundamentalAmperes, double harmonicScale = 1)
    {
        ArgumentNullException.ThrowIfNull(shape);
        _real[1] += shape.Real[1] * fundamentalAmperes;
        _imaginary[1] += shape.Imaginary[1] * fundamentalAmperes;
        var harmonics = fundamentalAmperes * harmonicScale;
        for (var order = 2; order <= MaxOrder; order++)
        {
            _real[order] += shape.Real[order] * harmonics;
            _imaginary[order] += shape.Imaginary[order] * harmonics;
        }
    }

    /// <summary>RMS of the whole current: the root of the sum of the squares of every order.</summary>
    public double Rms()
    {
        var sum = 0.0;
        for (var order = 1; order <= MaxOrder; order++)
        {
            sum += (_real[order] * _real[order]) + (_imaginary[order] * _imaginary[order]);
        }

        return Math.Sqrt(sum);
    }
}
