using EdgeSafety.Analytics.Charging;
using EdgeSafety.Appliances;

namespace EdgeSafety.Analytics.Cli.Charging;

/// <summary>
/// Collects training rows: it stands in for the classifier inside the real detector, records every fingerprint it
/// is asked about with its label from the ground truth (an e-bike charger was plugged in when the load came on),
/// and answers "not charging" so every candidate is fingerprinted at every checkpoint.
/// </summary>
internal sealed class FingerprintRecorder(GroundTruth truth) : IChargingClassifier
{
    public List<float> Features { get; } = [];

    public List<float> Labels { get; } = [];

    public int Rows => Labels.Count;

    public float Probability(in Candidate candidate, ReadOnlySpan<float> fingerprint)
    {
        Features.AddRange(fingerprint);
        Labels.Add(TruthMatching.SessionStartedWith(truth, candidate) is null ? 0f : 1f);
        return 0f;
    }
}

/// <summary>Which true event an added load is: a charging session's plug-in, or an appliance's switch-on.</summary>
internal static class TruthMatching
{
    /// <summary>A soft start can put the first changed reading one reading late.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(2);

    public static EdgeSafety.Appliances.ChargingSession? SessionStartedWith(GroundTruth truth, in Candidate candidate)
    {
        var from = candidate.PreviousAt - Slack;
        var to = candidate.StartedAt + Slack;
        foreach (var session in truth.ChargingSessions)
        {
            if (session.PluggedIn > from && session.PluggedIn <= to)
            {
                return session;
            }
        }

        return null;
    }

    /// <summary>The appliance that switched on nearest before the load was seen (within a minute), for naming a false alarm.</summary>
    public static string CauseOf(GroundTruth truth, DateTimeOffset startedAt)
    {
        ApplianceInterval? best = null;
        foreach (var interval in truth.Appliances)
        {
            if (interval.On > startedAt + Slack)
            {
                break;
            }

            if (interval.On >= startedAt - TimeSpan.FromMinutes(1) && interval.Off > startedAt)
            {
                best = interval;
            }
        }

        return best is null ? "unattributed" : ApplianceCatalog.NameOf(best.Kind);
    }
}
