namespace EdgeSafety.Appliances;

/// <summary>
/// The harmonic make-up of a load's current, normalised to a fundamental of 1 A: the fundamental's angle against the
/// voltage (its displacement) and each harmonic's magnitude and angle. Loads whose waveform does not change with
/// their power (a motor, a heater, a power-factor-corrected front end at a given load) are one shape scaled.
/// </summary>
public sealed class HarmonicShape
{
    private HarmonicShape(double fundamentalAngle)
    {
        (Imaginary[1], Real[1]) = Math.SinCos(fundamentalAngle);
        FundamentalAngle = fundamentalAngle;
    }

    /// <summary>Angle of the fundamental against the voltage, radians; negative lags (a motor), positive leads.</summary>
    public double FundamentalAngle { get; }

    internal double[] Real { get; } = new double[CurrentSpectrum.MaxOrder + 1];

    internal double[] Imaginary { get; } = new double[CurrentSpectrum.MaxOrder + 1];

    /// <summary>Magnitude of a harmonic in % of the fundamental.</summary>
    public double Percent(int order) => 100 * Math.Sqrt((Real[order] * Real[order]) + (Imaginary[order] * Imaginary[order]));

    /// <summary>A pure sine: a heater (angle 0) or an ideal motor (lagging angle).</summary>
    public static HarmonicShape Sinusoid(double fundamentalAngle = 0) => new(fundamentalAngle);

    /// <summary>
    /// A near-sinusoidal current with some odd harmonics: the magnitude of h3 in % of the fundamental, falling as
    /// (3/h)^decay for higher odd orders, each at its own angle (the angles array is indexed by order).
    /// </summary>
    public static HarmonicShape OddHarmonics(double fundamentalAngle, double h3Percent, double decay, IReadOnlyList<double> angles)
    {
        var shape = new HarmonicShape(fundamentalAngle);
        for (var order = 3; order <= CurrentSpectrum.MaxOrder; order += 2)
        {
            var magnitude = h3Percent / 100 * Math.Pow(3.0 / order, decay);
            (shape.Imaginary[order], shape.Real[order]) = Math.SinCos(angles[order]);
            shape.Real[order] *= magnitude;
            shape.Imaginary[order] *= magnitude;
        }

        return shape;
    }

    /// <summary>
    /// A resistance fed through one diode (a hair dryer's low heat): current in the positive half-cycles only, so
    /// strong even harmonics (h2 about 42 %); the direct component is not seen by a current transformer.
    /// </summary>
    public static HarmonicShape HalfWave()
    {
        var shape = new HarmonicShape(0);
        for (var order = 2; order <= CurrentSpectrum.MaxOrder; order += 2)
        {
            // Fourier series of a half-wave rectified cosine: a_h = 2 (-1)^(h/2+1) / (pi (h^2 - 1)), fundamental 1/2.
            var sign = (order / 2) % 2 == 1 ? 1 : -1;
            shape.Real[order] = sign * 4 / (Math.PI * ((order * order) - 1));
        }

        return shape;
    }
}
