using System.Collections.Concurrent;
using EdgeSafety.Analytics.Charging;
using EdgeSafety.Appliances;
using TrueSession = EdgeSafety.Appliances.ChargingSession;

namespace EdgeSafety.Analytics.Cli.Charging;

/// <summary>A set of simulated households to score the detector on.</summary>
internal sealed record ScenarioSet(string Name, ParameterSet Parameters, int FirstSeed, int Households, double Days, Sampling Sampling)
{
    public double HouseholdDays => Households * Days;

    public IEnumerable<int> Seeds => Enumerable.Range(FirstSeed, Households);
}

/// <summary>One true charging session and whether (and how fast) it was detected.</summary>
internal sealed record SessionOutcome(ApplianceKind Charger, double? LatencySeconds);

/// <summary>A confirmed detection with no charging behind it, and the appliance that switched on then.</summary>
internal sealed record FalseAlarm(int Seed, DateTimeOffset StartedAt, string Cause, double PowerAddedW, double Confidence);

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
        var household = SimulatedMeter.Household(seed, set.Parameters, set.Days, set.Sampling);
        var truth = household.Truth;
        var tiers = Enum.GetValues<MeterTier>();
        var detectors = tiers.Select(t => new ChargingDetector($"household-{seed}", classifier, options)).ToArray();
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

        var end = household.Start + household.Duration;
        foreach (var session in truth.ChargingSessions.Where(s => s.PluggedIn >= household.Start + Margin && s.PluggedIn <= end - Margin))
        {
            foreach (var tier in tiers)
            {
                scores[tier].Sessions.Add(new SessionOutcome(session.Charger,
                    detected[(int)tier].TryGetValue(session, out var latency) ? latency : null));
            }
        }

        return scores;
    }

    private static void Score(EdgeSafety.Analytics.Charging.ChargingSession found, int seed, GroundTruth truth, Dictionary<TrueSession, double> detected, TierScore score)
    {
        var session = truth.ChargingSessions.FirstOrDefault(s => found.StartedAt >= s.PluggedIn - EarlySlack && found.StartedAt <= s.Unplugged);
        if (session is null)
        {
            score.FalseAlarms.Add(new FalseAlarm(seed, found.StartedAt, TruthMatching.CauseOf(truth, found.StartedAt), found.PowerAddedW, found.Confidence));
        }
        else if (!detected.TryAdd(session, (found.DetectedAt - session.PluggedIn).TotalSeconds))
        {
            score.Repeats++;
        }
    }
}
