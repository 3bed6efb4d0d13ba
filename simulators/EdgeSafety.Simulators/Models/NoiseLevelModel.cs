namespace EdgeSafety.Simulators.Models;

/// <summary>
/// A sound level sensor in a residential street: a background that wanders around 48 dB(A), with an
/// occasional loud episode (voices, a passing scooter). Only the level is simulated, as only the level is
/// ever measured.
/// </summary>
public sealed class NoiseLevelModel(Random random) : IValueModel
{
    private double _background = 48;
    private TimeSpan _episodeRemaining;

    public void Step(TimeSpan elapsed, IDictionary<string, double> values)
    {
        _background = Math.Clamp(_background + ((random.NextDouble() - 0.5) * 1.5), 40, 58);
        _episodeRemaining -= elapsed;
        if (_episodeRemaining <= TimeSpan.Zero && random.NextDouble() < elapsed.TotalSeconds / 90)
        {
            _episodeRemaining = TimeSpan.FromSeconds(random.Next(5, 30));
        }

        var episode = _episodeRemaining > TimeSpan.Zero ? 12 + (random.NextDouble() * 8) : 0;
        values["db_a"] = Math.Round(_background + episode + ((random.NextDouble() - 0.5) * 2), 1);
    }
}
