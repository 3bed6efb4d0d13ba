namespace EdgeSafety.Simulators.Noise;

/// <summary>A scenario's sound level as it unfolds, asked in increasing order of time since the scenario started.</summary>
public interface INoiseSource
{
    /// <summary>The A-weighted level at this time, or null while the sensor is silent (a dropout).</summary>
    double? LevelAt(TimeSpan elapsed);
}

/// <summary>Random level helpers shared by the scenarios.</summary>
public abstract class NoiseSource(Random random) : INoiseSource
{
    protected Random Random { get; } = random;

    public abstract double? LevelAt(TimeSpan elapsed);

    protected double Between(double low, double high) => low + (Random.NextDouble() * (high - low));

    protected double Around(double level, double sigma) =>
        level + (sigma * Math.Sqrt(-2 * Math.Log(1 - Random.NextDouble())) * Math.Cos(2 * Math.PI * Random.NextDouble()));

    /// <summary>True with the given probability: an event (a ball hit, a passing car, a shout) in this sample.</summary>
    protected bool Chance(double probability) => Random.NextDouble() < probability;
}

/// <summary>A source that switches on and off (songs and pauses, drilling and rests), each phase lasting a random number of seconds.</summary>
public abstract class AlternatingSource(Random random, (int Min, int Max) onSeconds, (int Min, int Max) offSeconds) : NoiseSource(random)
{
    private TimeSpan _phaseEnds;
    private bool _on;

    /// <summary>Whether the source is on at this time, starting with an "on" phase.</summary>
    protected bool IsOn(TimeSpan elapsed)
    {
        if (elapsed >= _phaseEnds)
        {
            _on = !_on;
            var (min, max) = _on ? onSeconds : offSeconds;
            _phaseEnds = elapsed + TimeSpan.FromSeconds(Random.Next(min, max));
        }

        return _on;
    }
}
