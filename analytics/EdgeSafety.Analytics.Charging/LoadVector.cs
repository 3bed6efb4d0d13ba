using System.Runtime.CompilerServices;

namespace EdgeSafety.Analytics.Charging;

/// <summary>
/// The electrical quantities of a load (or of the whole household) that add when loads are switched on together:
/// active power, apparent power, reactive power, fundamental current, distortion current and the odd harmonic
/// currents in amperes. Meters give harmonic magnitudes, not phases, so harmonic currents of two loads add only
/// approximately (exactly for rectifier loads, whose harmonics share their phase); NaN is "not measured". Magnitudes
/// (apparent power, fundamental current) do not add between loads of different power factor; the fundamental's
/// in-phase and quadrature parts (active and reactive current) do, so where the meter gives reactive power the
/// added load's fundamental and power factor are taken from those.
/// </summary>
internal struct LoadVector
{
    public double PowerW;
    public double ApparentVa;
    public double ReactiveVar;
    public double FundamentalA;
    public double ActiveA;
    public double ReactiveA;
    public double DistortionA;
    public HarmonicAmperes Harmonics;

    /// <summary>The fundamental current's magnitude: exact for a difference of readings where reactive power is measured.</summary>
    public readonly double Fundamental => double.IsNaN(ReactiveA) ? FundamentalA : Math.Sqrt((ActiveA * ActiveA) + (ReactiveA * ReactiveA));

    /// <summary>Active power over apparent power; from the current's parts where reactive power and THD are measured (a load added to a motor's lagging current adds less apparent power than its own).</summary>
    public readonly (double Numerator, double Denominator) PowerFactor =>
        double.IsNaN(ReactiveA) || double.IsNaN(DistortionA)
            ? (PowerW, ApparentVa)
            : (ActiveA, Math.Sqrt((Fundamental * Fundamental) + (DistortionA * DistortionA)));

    public static LoadVector Of(in MeterObservation observation)
    {
        var harmonics = observation.Harmonics;
        var thd = observation.ThdIPct ?? (harmonics is { } h ? HarmonicDistortion(h) : double.NaN);
        var fundamental = double.IsNaN(thd) ? observation.CurrentA : observation.CurrentA / Math.Sqrt(1 + (thd * thd / 10_000));
        var apparent = observation.VoltageV * observation.CurrentA;
        if (apparent <= 0 && observation.PowerFactor is { } pf && Math.Abs(pf) > 0.01)
        {
            apparent = Math.Abs(observation.PowerW / pf);
        }

        var vector = new LoadVector
        {
            PowerW = observation.PowerW,
            ApparentVa = apparent,
            ReactiveVar = observation.ReactiveVar ?? double.NaN,
            FundamentalA = fundamental,
            ActiveA = observation.VoltageV > 0 ? observation.PowerW / observation.VoltageV : double.NaN,
            ReactiveA = observation.VoltageV > 0 && observation.ReactiveVar is { } reactive ? reactive / observation.VoltageV : double.NaN,
            DistortionA = fundamental * thd / 100,
        };
        for (var i = 0; i < OddHarmonics.Count; i++)
        {
            vector.Harmonics[i] = harmonics is { } present ? fundamental * present[i] / 100 : double.NaN;
        }

        return vector;
    }

    public static LoadVector operator -(in LoadVector a, in LoadVector b)
    {
        var result = new LoadVector
        {
            PowerW = a.PowerW - b.PowerW,
            ApparentVa = a.ApparentVa - b.ApparentVa,
            ReactiveVar = a.ReactiveVar - b.ReactiveVar,
            FundamentalA = a.FundamentalA - b.FundamentalA,
            ActiveA = a.ActiveA - b.ActiveA,
            ReactiveA = a.ReactiveA - b.ReactiveA,
            DistortionA = a.DistortionA - b.DistortionA,
        };
        for (var i = 0; i < OddHarmonics.Count; i++)
        {
            result.Harmonics[i] = a.Harmonics[i] - b.Harmonics[i];
        }

        return result;
    }

    public static LoadVector operator +(in LoadVector a, in LoadVector b)
    {
        var result = new LoadVector
        {
            PowerW = a.PowerW + b.PowerW,
            ApparentVa = a.ApparentVa + b.ApparentVa,
            ReactiveVar = a.ReactiveVar + b.ReactiveVar,
            FundamentalA = a.FundamentalA + b.FundamentalA,
            ActiveA = a.ActiveA + b.ActiveA,
            ReactiveA = a.ReactiveA + b.ReactiveA,
            DistortionA = a.DistortionA + b.DistortionA,
        };
        for (var i = 0; i < OddHarmonics.Count; i++)
        {
            result.Harmonics[i] = a.Harmonics[i] + b.Harmonics[i];
        }

        return result;
    }

    /// <summary>The mean of two readings: a settled level is taken over two samples, halving the meter's noise.</summary>
    public static LoadVector Mean(in LoadVector a, in LoadVector b)
    {
        var result = a + b;
        result.PowerW /= 2;
        result.ApparentVa /= 2;
        result.ReactiveVar /= 2;
        result.FundamentalA /= 2;
        result.ActiveA /= 2;
        result.ReactiveA /= 2;
        result.DistortionA /= 2;
        for (var i = 0; i < OddHarmonics.Count; i++)
        {
            result.Harmonics[i] /= 2;
        }

        return result;
    }

    /// <summary>THD over the orders the meter gives (3..15), when it does not give THD itself.</summary>
    private static double HarmonicDistortion(in OddHarmonics harmonics)
    {
        var sum = 0.0;
        for (var i = 0; i < OddHarmonics.Count; i++)
        {
            sum += harmonics[i] * harmonics[i];
        }

        return Math.Sqrt(sum);
    }
}

[InlineArray(OddHarmonics.Count)]
internal struct HarmonicAmperes
{
    private double _element;
}
