namespace EdgeSafety.Appliances;

/// <summary>Overrides for a generated household; by default everything is drawn from the seed.</summary>
public sealed record ScenarioOptions
{
    public static ScenarioOptions Default { get; } = new();

    /// <summary>The kind of household; null draws it (60 % rented rooms).</summary>
    public HouseholdKind? Household { get; init; }

    /// <summary>False: no e-bike is ever charged (the look-alikes alone, for false-alarm counts).</summary>
    public bool Charging { get; init; } = true;

    /// <summary>
    /// Chance that an e-bike owning household charges on a given day; null draws a habit per household (0.9, 0.6 or
    /// 0.3). Not every household owns an e-bike (75 % of rented rooms, 60 % of flats).
    /// </summary>
    public double? ChargingDayProbability { get; init; }

    /// <summary>
    /// The kinds an e-bike owning household's chargers are drawn from; null: every kind
    /// (<see cref="ApplianceCatalog.EbikeChargers"/>). Ownership and everything else are drawn as usual.
    /// </summary>
    public IReadOnlyList<ApplianceKind>? EbikeChargers { get; init; }
}

/// <summary>
/// Generates households: a seed and a parameter set give a household, its days, the meter's readings and the
/// ground truth, the same bytes every time.
/// </summary>
public static class HouseholdScenario
{
    /// <summary>
    /// A household over [start, start + duration), read every sampleInterval (1 s to 60 s; each reading is the
    /// meter's instantaneous RMS values at that moment). The schedule follows the local time of start's offset
    /// (use +08:00 for China). The samples are produced as they are enumerated, in constant memory.
    /// </summary>
    public static GeneratedHousehold Generate(
        int seed,
        ParameterSet parameterSet,
        DateTimeOffset start,
        TimeSpan duration,
        TimeSpan sampleInterval,
        ScenarioOptions? options = null)
    {
        if (sampleInterval < TimeSpan.FromSeconds(1) || sampleInterval > TimeSpan.FromSeconds(60))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleInterval), sampleInterval, "The sampling interval must be between 1 s and 60 s.");
        }

        if (duration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "The duration must be positive.");
        }

        var planner = new HouseholdPlanner(seed, parameterSet, options ?? ScenarioOptions.Default, start.TimeOfDay.TotalHours);
        var activations = planner.AlwaysOn().ToList();
        var end = duration.TotalSeconds;
        for (var day = 0; (day * 86_400.0) - (start.TimeOfDay.TotalSeconds) < end; day++)
        {
            activations.AddRange(planner.PlanDay(day).Where(a => a.On < end && a.Off > 0));
        }

        activations.Sort((a, b) => a.On.CompareTo(b.On));
        return new GeneratedHousehold(seed, parameterSet, planner.Kind, start, duration, sampleInterval, activations);
    }
}
