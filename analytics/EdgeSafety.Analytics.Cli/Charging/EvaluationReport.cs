using System.Globalization;
using System.Text;
using EdgeSafety.Analytics.Charging;
using EdgeSafety.Appliances;

namespace EdgeSafety.Analytics.Cli.Charging;

/// <summary>The figures of one tier, as the report prints and serialises them.</summary>
internal sealed record TierFigures(
    string Tier,
    int Sessions,
    int Detected,
    double RecallPct,
    double? LatencyMedianS,
    double? LatencyP95S,
    int FalseAlarms,
    double FalseAlarmsPer100HouseholdDays,
    int RepeatedDetections,
    IReadOnlyDictionary<string, int> FalseAlarmCauses,
    IReadOnlyList<KindFigures> Chargers);

internal sealed record KindFigures(string Charger, int Sessions, int Detected, double RecallPct, double? LatencyMedianS, double? LatencyP95S);

/// <summary>One scenario set's results: what was run and the figures per tier.</summary>
internal sealed record SetFigures(string Set, string Parameters, int Households, double HouseholdDays, string Sampling, IReadOnlyList<TierFigures> Tiers);

internal static class EvaluationReport
{
    public static SetFigures Figures(ScenarioSet set, Dictionary<MeterTier, TierScore> scores) => new(
        set.Name,
        set.Parameters.ToString(),
        set.Households,
        set.HouseholdDays,
        set.Sampling.Name,
        [.. scores.Values.OrderByDescending(s => s.Tier).Select(s => Tier(s, set.HouseholdDays))]);

    private static TierFigures Tier(TierScore score, double householdDays)
    {
        var latencies = score.Sessions.Where(s => s.LatencySeconds is not null).Select(s => s.LatencySeconds!.Value).ToList();
        return new TierFigures(
            ChargingModels.TierName(score.Tier),
            score.Sessions.Count,
            latencies.Count,
            Percent(latencies.Count, score.Sessions.Count),
            Percentile(latencies, 0.5),
            Percentile(latencies, 0.95),
            score.FalseAlarms.Count,
            Math.Round(score.FalseAlarms.Count * 100 / householdDays, 2),
            score.Repeats,
            score.FalseAlarms.GroupBy(f => f.Cause).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count()),
            [.. score.Sessions.GroupBy(s => s.Charger).OrderBy(g => g.Key).Select(g =>
            {
                var found = g.Where(s => s.LatencySeconds is not null).Select(s => s.LatencySeconds!.Value).ToList();
                return new KindFigures(ApplianceCatalog.NameOf(g.Key), g.Count(), found.Count, Percent(found.Count, g.Count()), Percentile(found, 0.5), Percentile(found, 0.95));
            })]);
    }

    /// <summary>The markdown tables: one row per tier, then recall and latency per charger kind.</summary>
    public static string Markdown(IEnumerable<SetFigures> sets)
    {
        var text = new StringBuilder();
        foreach (var set in sets)
        {
            text.AppendLine(Invariant($"### {set.Set}: {set.Parameters} parameters, {set.Households} households, {set.HouseholdDays:0.#} household-days, sampling {set.Sampling}"));
            text.AppendLine();
            text.AppendLine("| tier | sessions | recall | latency median | latency p95 | false alarms | per 100 household-days | repeated | false alarms by appliance |");
            text.AppendLine("|---|---|---|---|---|---|---|---|---|");
            foreach (var tier in set.Tiers)
            {
                var causes = tier.FalseAlarmCauses.Count == 0 ? "—" : string.Join(", ", tier.FalseAlarmCauses.Select(c => $"{c.Key} {c.Value}"));
                text.AppendLine(Invariant($"| {tier.Tier} | {tier.Sessions} | {tier.RecallPct:0.0}% ({tier.Detected}) | {Seconds(tier.LatencyMedianS)} | {Seconds(tier.LatencyP95S)} | {tier.FalseAlarms} | {tier.FalseAlarmsPer100HouseholdDays:0.##} | {tier.RepeatedDetections} | {causes} |"));
            }

            text.AppendLine();
            text.AppendLine("| charger | " + string.Join(" | ", set.Tiers.Select(t => $"{t.Tier} recall, median, p95")) + " |");
            text.AppendLine("|---|" + string.Concat(set.Tiers.Select(_ => "---|")));
            foreach (var charger in set.Tiers[0].Chargers.Select(c => c.Charger))
            {
                var cells = set.Tiers.Select(t => t.Chargers.First(c => c.Charger == charger))
                    .Select(c => Invariant($"{c.RecallPct:0.0}% of {c.Sessions}, {Seconds(c.LatencyMedianS)}, {Seconds(c.LatencyP95S)}"));
                text.AppendLine($"| {charger} | {string.Join(" | ", cells)} |");
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    /// <summary>
    /// The diagnosis files: every missed or late session (what it was, what the detector made of it) and every false alarm
    /// (what switched on, how much power it added, how sure the model was), one CSV row each, all sets and tiers.
    /// </summary>
    public static void WriteDiagnosis(string directory, IEnumerable<(ScenarioSet Set, Dictionary<MeterTier, TierScore> Scores)> results)
    {
        var missed = new StringBuilder("set,tier,seed,charger,latency_s,plugged_in,state_of_charge,rated_current_a,candidates,checkpoints,best_probability,first_power_w,others_switching_on\n");
        var alarms = new StringBuilder("set,tier,seed,started_at,cause,power_added_w,confidence,confirmed_after_s\n");
        foreach (var (set, scores) in results)
        {
            foreach (var score in scores.Values.OrderByDescending(s => s.Tier))
            {
                var tier = ChargingModels.TierName(score.Tier);
                foreach (var session in score.Sessions.Where(s => s.Miss is not null))
                {
                    var m = session.Miss!;
                    missed.AppendLine(Invariant($"{set.Name},{tier},{m.Seed},{ApplianceCatalog.NameOf(session.Charger)},{session.LatencySeconds:0},{m.PluggedIn:O},{m.StateOfCharge:0.000},{m.RatedCurrentA:0.00},{m.Candidates},{m.Checkpoints},{m.BestProbability:0.000},{m.FirstPowerW:0.0},{m.OthersSwitchingOn}"));
                }

                foreach (var alarm in score.FalseAlarms)
                {
                    alarms.AppendLine(Invariant($"{set.Name},{tier},{alarm.Seed},{alarm.StartedAt:O},{alarm.Cause},{alarm.PowerAddedW:0.0},{alarm.Confidence:0.000},{alarm.ConfirmedAfterSeconds:0}"));
                }
            }
        }

        File.WriteAllText(Path.Combine(directory, "missed-or-late-sessions.csv"), missed.ToString());
        File.WriteAllText(Path.Combine(directory, "false-alarms.csv"), alarms.ToString());
    }

    private static double Percent(int part, int whole) => whole == 0 ? 0 : Math.Round(part * 100.0 / whole, 1);

    /// <summary>Nearest-rank percentile, in whole seconds (tenths below 10 s).</summary>
    private static double? Percentile(List<double> values, double fraction)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToList();
        var value = sorted[Math.Max(0, (int)Math.Ceiling(fraction * sorted.Count) - 1)];
        return Math.Round(value, value < 10 ? 1 : 0);
    }

    private static string Seconds(double? value) => value is null ? "—" : Invariant($"{value} s");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
