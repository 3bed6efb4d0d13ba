using System.Collections.Concurrent;
using EdgeSafety.Analytics.Charging;
using EdgeSafety.Appliances;
using TrueSession = EdgeSafety.Appliances.ChargingSession;

namespace EdgeSafety.Analytics.Cli.Charging;

/// <summary>A set of simulated households to score the detector on (or to train on).</summary>
internal sealed record ScenarioSet(string Name, ParameterSet Parameters, int FirstSeed, int Households, double Days, Sampling Sampling)
{
    /// <summary>Overrides for the set's households (a training set of PFC chargers only); null: all drawn from the seed.</summary>
    public ScenarioOptions? Options { get; init; }

    public double HouseholdDays => Households * Days;

    public IEnumerable<int> Seeds => Enumerable.Range(FirstSeed, Households);
}

/// <summary>
/// One true charging session and whether (and how fast) it was detected; for a missed or late one, what the detector made
/// of it: the added loads that started near the plug-in and the best probability any of their checkpoints reached.
/// </summary>
internal sealed record SessionOutcome(ApplianceKind Charger, double? LatencySeconds)
{
    public Miss? Miss { get; init; }
}

/// <summary>Why a session was missed or confirmed late, for the diagnosis: the session as generated and the detector's view of it.</summary>
internal sealed record Miss(int Seed, DateTimeOffset PluggedIn, double StateOfCharge, double RatedCurrentA, int Candidates, int Checkpoints, double BestProbability, double FirstPowerW, string OthersSwitchingOn);

/// <summary>A confirmed detection with no charging behind it, and the appliance that switched on then.</summary>
internal sealed record FalseAlarm(int Seed, DateTimeOffset StartedAt, string Cause, double PowerAddedW, double Confidence, double ConfirmedAfterSeconds);

/// <summary>The figures of one tier on one scenario set.</summary>
internal sealed class TierScore(MeterTier tier)
{
    public MeterTier Tier { get; } = tier;

    public List<SessionOutcome> Sessions { get; } = [];

    public List<FalseAlarm> FalseAlarms { get; } = [];

    /// <summary>Detections of a session already detected (the same charger confirmed twice).</summary>
    public int Repeats { get; set; }

    public void Add(TierScore other)
    {
        Sessions.AddRange(other.Sessions);
        FalseAlarms.AddRange(other.FalseAlarms);
        Repeats += other.Repeats;
    }
}

/// <summary>
/// Runs the detector (the same class ingest runs) over simulated households at every tier at once, and scores
/// its confirmed sessions against the ground truth: recall, latency from plug-in, false alarms with their cause.
/// </summary>
internal static class Evaluation
{
    /// <summary>
    /// Sessions plugged in during the first or last ten minutes of a window are not scored: the detector has no
    /// settled level yet, or the window ends before it could confirm.
    /// </summary>
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(10);

    /// <summary>A detection belongs to a session if it started at most this long before the plug-in (the reading before it).</summary>
    private static readonly TimeSpan EarlySlack = TimeSpan.FromSeconds(5);

    /// <summary>A session confirmed later than this is diagnosed like a missed one (the p95 target is 120 s).</summary>
    private const double LateSeconds = 60;

    public static Dictionary<MeterTier, TierScore> Run(ScenarioSet set, IChargingClassifier classifier, ChargingDetectorOptions options)
    {
        var perHousehold = new ConcurrentDictionary<int, Dictionary<MeterTier, TierScore>>();
        Parallel.ForEach(set.Seeds, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            seed => perHousehold[seed] = RunHousehold(set, seed, classifier, options));

        var total = Enum.GetValues<MeterTier>().ToDictionary(t => t, t => new TierScore(t));
        foreach (var seed in set.Seeds)
        {
            foreach (var (tier, score) in perHousehold[seed])
            {
                total[tier].Add(score);
            }
        }

        return total;
    }

    private static Dictionary<MeterTier, TierScore> RunHousehold(ScenarioSet set, int seed, IChargingClassifier classifier, ChargingDetectorOptions options)
    {
        var household = SimulatedMeter.Household(seed, set.Parameters, set.Days, set.Sampling, set.Options);
        var truth = household.Truth;
        var tiers = Enum.GetValues<MeterTier>();
        var logs = tiers.Select(_ => new ProbabilityLog(classifier)).ToArray();
        var detectors = tiers.Select(t => new ChargingDetector($"household-{seed}", logs[(int)t], options)).ToArray();
        var detected = tiers.Select(_ => new Dictionary<TrueSession, double>()).ToArray();
        var scores = tiers.ToDictionary(t => t, t => new TierScore(t));
        foreach (var observation in SimulatedMeter.Observations(household, set.Sampling))
        {
            foreach (var tier in tiers)
            {
                foreach (var charging in detectors[(int)tier].Observe(observation.AsTier(tier)))
                {
                    if (charging.Kind == ChargingEventKind.Started)
                    {
                        Score(charging.Session, seed, truth, detected[(int)tier], scores[tier]);
                    }
                }
            }
        }

        foreach (var session in Scored(household))
        {
            foreach (var tier in tiers)
            {
                double? latency = detected[(int)tier].TryGetValue(session, out var found) ? found : null;
                scores[tier].Sessions.Add(new SessionOutcome(session.Charger, latency)
                {
                    Miss = latency is null or > LateSeconds ? Diagnose(seed, session, truth, logs[(int)tier]) : null,
                });
            }
        }

        return scores;
    }

    /// <summary>What the detector saw of a missed session: loads that came on within 30 s of the plug-in and their best checkpoint.</summary>
    private static Miss Diagnose(int seed, TrueSession session, GroundTruth truth, ProbabilityLog log)
    {
        var near = log.Entries.Where(e => Math.Abs((e.StartedAt - session.PluggedIn).TotalSeconds) <= 30).ToList();
        var others = truth.Appliances
            .Where(a => Math.Abs((a.On - session.PluggedIn).TotalSeconds) <= 30 && !ApplianceCatalog.IsEbikeCharger(a.Kind))
            .Select(a => ApplianceCatalog.NameOf(a.Kind));
        return new Miss(seed, session.PluggedIn, session.InitialStateOfCharge, session.RatedCurrentA,
            near.Select(e => e.StartedAt).Distinct().Count(), near.Count,
            near.Count == 0 ? double.NaN : near.Max(e => e.Probability),
            near.Count == 0 ? double.NaN : near.MinBy(e => e.AgeSeconds)!.PowerW,
            string.Join(' ', others));
    }

    private static void Score(EdgeSafety.Analytics.Charging.ChargingSession found, int seed, GroundTruth truth, Dictionary<TrueSession, double> detected, TierScore score) =>
        Score(found.StartedAt, found.DetectedAt, found.PowerAddedW, found.Confidence, seed, truth.ChargingSessions, () => TruthMatching.CauseOf(truth, found.StartedAt), detected, score);

    /// <summary>Counts one confirmed detection: the session it found (and how fast), a repeat, or a false alarm with its cause.</summary>
    public static void Score(DateTimeOffset startedAt, DateTimeOffset detectedAt, double powerAddedW, double confidence, int seed,
        IReadOnlyList<TrueSession> sessions, Func<string> cause, Dictionary<TrueSession, double> detected, TierScore score)
    {
        // The latest plug-in before the detection's start: a household with two chargers can have one still plugged
        // in (in float or done) when the other is plugged in, and the detection belongs to the newer one.
        var session = sessions.Where(s => startedAt >= s.PluggedIn - EarlySlack && startedAt <= s.Unplugged).MaxBy(s => s.PluggedIn);
        if (session is null)
        {
            score.FalseAlarms.Add(new FalseAlarm(seed, startedAt, cause(), powerAddedW, confidence, (detectedAt - startedAt).TotalSeconds));
        }
        else if (!detected.TryAdd(session, (detectedAt - session.PluggedIn).TotalSeconds))
        {
            score.Repeats++;
        }
    }

    /// <summary>The sessions a household's figures count: not plugged in during the first or last <see cref="Margin"/> of its window.</summary>
    public static IEnumerable<TrueSession> Scored(GeneratedHousehold household) =>
        household.Truth.ChargingSessions.Where(s => s.PluggedIn >= household.Start + Margin && s.PluggedIn <= household.Start + household.Duration - Margin);
}

/// <summary>The classifier as the detector uses it, with every answer kept (when the load came on, its age and power, the probability) for the diagnosis.</summary>
internal sealed class ProbabilityLog(IChargingClassifier inner) : IChargingClassifier
{
    public List<(DateTimeOffset StartedAt, float AgeSeconds, float PowerW, float Probability)> Entries { get; } = [];

    public float Probability(in Candidate candidate, ReadOnlySpan<float> fingerprint)
    {
        var probability = inner.Probability(candidate, fingerprint);
        Entries.Add((candidate.StartedAt, fingerprint[0], fingerprint[1], probability));
        return probability;
    }
}
