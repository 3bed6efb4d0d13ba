namespace EdgeSafety.Analytics.Charging;

/// <summary>
/// The running sums a least-squares line y = a + b t needs, added point by point: the load's trend and curve
/// (<see cref="TrackedLoad"/>) and the household's drift before a switch-on (<see cref="ChargingDetector"/>) all fit
/// their lines through these.
/// </summary>
internal struct LineSums
{
    public double N;
    public double St;
    public double Sy;
    public double Stt;
    public double Sty;
    public double Syy;

    public void Add(double t, double y)
    {
        N++;
        St += t;
        Sy += y;
        Stt += t * t;
        Sty += t * y;
        Syy += y * y;
    }

    /// <summary>n Σt² − (Σt)²: the slope's denominator, zero or less when the points do not span any time.</summary>
    public readonly double Denominator => (N * Stt) - (St * St);

    /// <summary>The line's slope (y per unit of t).</summary>
    public readonly double Slope => ((N * Sty) - (St * Sy)) / Denominator;
}
