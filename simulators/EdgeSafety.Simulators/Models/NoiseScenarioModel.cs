using EdgeSafety.Simulators.Noise;

namespace EdgeSafety.Simulators.Models;

/// <summary>
/// A noise sensor whose street can be made to host a scenario (square dancing, a night party...) on demand: the street
/// background of <see cref="NoiseLevelModel"/> until a scenario starts, the scenario's levels while it runs (in real
/// time, from where it begins), and the background again when it ends.
/// </summary>
public sealed class NoiseScenarioModel(Random random) : IValueModel
{
    private readonly NoiseLevelModel _background = new(random);
    private readonly Lock _lock = new();
    private NoiseScenario? _scenario;
    private INoiseSource? _source;
    private TimeSpan _elapsed;

    /// <summary>The scenario running, or null.</summary>
    public string? Running
    {
        get
        {
            lock (_lock)
            {
                return _scenario?.Name;
            }
        }
    }

    /// <summary>Starts a scenario from its beginning, seeded from this model's random source.</summary>
    public void Start(NoiseScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        lock (_lock)
        {
            _scenario = scenario;
            _source = scenario.CreateSource(new Random(random.Next()));
            _elapsed = TimeSpan.Zero;
        }
    }

    public void Stop()
    {
        lock (_lock)
        {
            (_scenario, _source) = (null, null);
        }
    }

    public void Step(TimeSpan elapsed, IDictionary<string, double> values)
    {
        lock (_lock)
        {
            _background.Step(elapsed, values);
            if (_scenario is null || _source is null)
            {
                return;
            }

            if (_elapsed >= _scenario.Duration)
            {
                (_scenario, _source) = (null, null);
                return;
            }

            // A scenario's silence (a dropout) cannot silence a Modbus slave: the sensor then serves the street.
            if (_source.LevelAt(_elapsed) is { } level)
            {
                values["db_a"] = Math.Round(level, 1);
            }

            _elapsed += elapsed;
        }
    }
}
