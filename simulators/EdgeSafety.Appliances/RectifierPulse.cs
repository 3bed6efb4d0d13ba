namespace EdgeSafety.Appliances;

/// <summary>
/// The input current of a capacitor-input rectifier (any switched-mode supply without power-factor correction):
/// the capacitor only charges near the voltage peak, so the current is a short pulse each half-cycle. The pulse is
/// taken as a half sine of the given width that ends a little after the peak (the line's inductance stretches it);
/// its Fourier series is closed-form, so the spectrum follows the pulse width as the load changes: a lighter load
/// draws a narrower pulse, hence a higher THD and a lower power factor.
/// </summary>
/// <param name="Width">Conduction angle of one pulse, radians (about 0.5 to 1.2 at full load).</param>
/// <param name="EndAfterPeak">How far after the voltage peak the pulse ends, radians; it sets the displacement.</param>
/// <param name="Asymmetry">How much smaller the negative pulse is than the positive (0..0.05); it gives even harmonics.</param>
public readonly record struct RectifierPulse(double Width, double EndAfterPeak, double Asymmetry)
{
    /// <summary>Adds the pulse train that takes the given active power from the supply at the given voltage.</summary>
    public void AddTo(CurrentSpectrum current, double activePowerW, double voltageV)
    {
        if (activePowerW <= 0)
        {
            return;
        }

        // Coefficient of order h (cosine reference, positive angle leads): e^{-jh start} F_h g_h with
        // F_h = k (1 + e^{-jhw}) / (k^2 - h^2), k = pi / w, and g_h = 1 - (1 - asymmetry)(-1)^h.
        var width = Width;
        var start = EndAfterPeak - width;
        var k = Math.PI / width;
        var (startSin, startCos) = Math.SinCos(-start);
        var (widthSin, widthCos) = Math.SinCos(-width);
        double rotationRe = 1, rotationIm = 0, widthRe = 1, widthIm = 0;
        Span<double> real = stackalloc double[CurrentSpectrum.MaxOrder + 1];
        Span<double> imaginary = stackalloc double[CurrentSpectrum.MaxOrder + 1];
        for (var order = 1; order <= CurrentSpectrum.MaxOrder; order++)
        {
            (rotationRe, rotationIm) = ((rotationRe * startCos) - (rotationIm * startSin), (rotationRe * startSin) + (rotationIm * startCos));
            (widthRe, widthIm) = ((widthRe * widthCos) - (widthIm * widthSin), (widthRe * widthSin) + (widthIm * widthCos));
            double fRe, fIm;
            var denominator = (k * k) - (order * order);
            if (Math.Abs(denominator) < 1e-6)
            {
                // The pulse is exactly one half-period of this harmonic: the integral's limit is -j pi / (2h).
                (fRe, fIm) = (0, -Math.PI / (2 * order));
            }
            else
            {
                (fRe, fIm) = (k * (1 + widthRe) / denominator, k * widthIm / denominator);
            }

            var halves = order % 2 == 1 ? 2 - Asymmetry : Asymmetry;
            real[order] = halves * ((rotationRe * fRe) - (rotationIm * fIm));
            imaginary[order] = halves * ((rotationRe * fIm) + (rotationIm * fRe));
        }

        // Scale so the fundamental's in-phase part carries the active power: P = V I1 cos(phi1).
        var scale = activePowerW / (voltageV * real[1]);
        for (var order = 1; order <= CurrentSpectrum.MaxOrder; order++)
        {
            current.AddParts(order, real[order] * scale, imaginary[order] * scale);
        }
    }
}
