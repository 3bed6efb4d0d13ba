namespace EdgeSafety.Appliances;

/// <summary>
/// A thermostat's or a controller's on/off cycling: cycle k starts near k·Period (jittered by up to a tenth of the
/// period) and runs for about OnFraction of it. A function of time, so it answers for any instant directly.
/// </summary>
internal readonly record struct DutyCycle(double Period, double OnFraction, double Offset, ulong Key)
{
    /// <summary>Whether it runs at the time, and if so for how long it has been running.</summary>
    public bool IsOn(double time, out double sinceStart)
    {
        var index = (long)Math.Floor((time - Offset) / Period);
        for (var k = index; k >= index - 1; k--)
        {
            var (start, end) = Cycle(k);
            if (time >= start && time < end)
            {
                sinceStart = time - start;
                return true;
            }
        }

        sinceStart = 0;
        return false;
    }

    /// <summary>The running spans that overlap [0, until), clipped to it.</summary>
    public IEnumerable<(double Start, double End)> Spans(double until)
    {
        for (var k = (long)Math.Floor(-Offset / Period) - 1; Offset + (k * Period) < until; k++)
        {
            var (start, end) = Cycle(k);
            if (end > 0 && start < until)
            {
                yield return (Math.Max(0, start), Math.Min(until, end));
            }
        }
    }

    private (double Start, double End) Cycle(long k)
    {
        var start = Offset + (k * Period) + (0.1 * Period * Hash.Signed(Key, k));
        var length = Period * Math.Min(0.85, OnFraction * (1 + (0.1 * Hash.Signed(Key + 1, k))));
        return (start, start + length);
    }
}
