using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using EdgeSafety.Analytics.Charging;
using EdgeSafety.Appliances;
using TrueSession = EdgeSafety.Appliances.ChargingSession;

namespace EdgeSafety.Analytics.Cli.Charging;

/// <summary>
/// One added load as the detector classified it: every checkpoint's age and probability, unconfirmed to the end, and
/// at each checkpoint the load's curve and THD ratio (<see cref="Curves"/>, same order; empty in a recording made
/// before they were recorded), and (when recorded or read with them) every checkpoint's whole fingerprint,
/// <see cref="Fingerprint.Count"/> values each.
/// </summary>
internal sealed record RecordedLoad(int Seed, MeterTier Tier, DateTimeOffset StartedAt, double PowerAddedW, string Cause, IReadOnlyList<RecordedCheckpoint> Checkpoints,
    IReadOnlyList<(LoadCurve Curve, double ThdRatio)> Curves, float[]? Fingerprints = null);

/// <summary>One checkpoint of a recorded load: what the confirmation rule reads besides the curve (<see cref="ConfirmationEvidence.Add"/>).</summary>
internal readonly record struct RecordedCheckpoint(double AgeSeconds, double Probability, double FlickerRatio, double SettledFlickerRatio,
    double HouseholdFlickerRatio = double.NaN, double SlowFlickerRatio = double.NaN);

/// <summary>A scenario set's households as recorded: the true sessions (with whether they are scored) and every classified load.</summary>
internal sealed record RecordedSet(ScenarioSet Set, IReadOnlyList<(int Seed, TrueSession Session, bool Scored)> Sessions, IReadOnlyList<RecordedLoad> Loads);

/// <summary>
/// The evaluation split in two, so that confirmation rules can be compared in seconds instead of minutes: the detector
/// is run once over the households with a classifier that keeps every probability and confirms nothing (every load
/// is classified at all its checkpoints until it ends), and each rule (<see cref="ConfirmationEvidence"/> under given
/// <see cref="ChargingDetectorOptions"/>) is replayed over the recorded probabilities and scored as the evaluation
/// scores. A confirmation changes nothing else the detector does, so the replay gives the evaluation's figures (up to
/// the rare load dropped because more than 16 were tracked at once, which the detector picks among unconfirmed ones).
/// </summary>
internal static class CheckpointRecording
{
    public static RecordedSet Record(ScenarioSet set, IChargingClassifier classifier, ChargingDetectorOptions options)
    {
        var perHousehold = new ConcurrentDictionary<int, RecordedSet>();
        Parallel.ForEach(set.Seeds, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            seed => perHousehold[seed] = RecordHousehold(set, seed, classifier, options));
        return new RecordedSet(set, [.. set.Seeds.SelectMany(s => perHousehold[s].Sessions)], [.. set.Seeds.SelectMany(s => perHousehold[s].Loads)]);
    }

    private static RecordedSet RecordHousehold(ScenarioSet set, int seed, IChargingClassifier classifier, ChargingDetectorOptions options)
    {
        var household = SimulatedMeter.Household(seed, set.Parameters, set.Days, set.Sampling, set.Options);
        var tiers = Enum.GetValues<MeterTier>();
        var recorders = tiers.Select(_ => new CheckpointRecorder(classifier)).ToArray();
        var detectors = tiers.Select(t => new ChargingDetector($"household-{seed}", recorders[(int)t], options)).ToArray();
        foreach (var observation in SimulatedMeter.Observations(household, set.Sampling))
        {
            foreach (var tier in tiers)
            {
                detectors[(int)tier].Observe(observation.AsTier(tier));
            }
        }

        var scored = Evaluation.Scored(household).ToHashSet();
        var loads = tiers.SelectMany(tier => recorders[(int)tier].Loads.Select(load => new RecordedLoad(seed, tier, load.Key, load.Value.PowerAddedW,
            TruthMatching.CauseOf(household.Truth, load.Key), load.Value.Checkpoints, load.Value.Curves, [.. load.Value.Fingerprints])));
        return new RecordedSet(set, [.. household.Truth.ChargingSessions.Select(s => (seed, s, scored.Contains(s)))], [.. loads]);
    }

    /// <summary>Scores a replay of the recorded probabilities under <paramref name="options"/>, per tier, as <see cref="Evaluation.Run"/> does.</summary>
    public static Dictionary<MeterTier, TierScore> Replay(RecordedSet recorded, ChargingDetectorOptions options)
    {
        var scores = Enum.GetValues<MeterTier>().ToDictionary(t => t, t => new TierScore(t));
        var sessionsBySeed = recorded.Sessions.GroupBy(s => s.Seed).ToDictionary(g => g.Key, g => (IReadOnlyList<TrueSession>)[.. g.Select(s => s.Session)]);
        foreach (var household in recorded.Loads.GroupBy(l => (l.Seed, l.Tier)))
        {
            var (seed, tier) = household.Key;
            var sessions = sessionsBySeed.GetValueOrDefault(seed) ?? [];
            var detections = new List<(RecordedLoad Load, DateTimeOffset DetectedAt, double Confidence)>();
            foreach (var load in household)
            {
                var evidence = new ConfirmationEvidence();
                for (var c = 0; c < load.Checkpoints.Count; c++)
                {
                    var (age, probability, flicker, settledFlicker, householdFlicker, slowFlicker) = load.Checkpoints[c];
                    var (curve, thdRatio) = c < load.Curves.Count ? load.Curves[c] : (default, double.NaN);
                    if (evidence.Add(options, tier, age, probability, new CheckpointEvidence(flicker, curve, settledFlicker, householdFlicker, thdRatio, slowFlicker)))
                    {
                        detections.Add((load, load.StartedAt + TimeSpan.FromSeconds(age), evidence.Confidence));
                        break;
                    }
                }
            }

            var detected = new Dictionary<TrueSession, double>();
            foreach (var (load, detectedAt, confidence) in detections.OrderBy(d => d.DetectedAt))
            {
                Evaluation.Score(load.StartedAt, detectedAt, load.PowerAddedW, confidence, seed, sessions, () => load.Cause, detected, scores[tier]);
            }

            foreach (var (_, session, _) in recorded.Sessions.Where(s => s.Seed == seed && s.Scored))
            {
                scores[tier].Sessions.Add(new SessionOutcome(session.Charger, detected.TryGetValue(session, out var latency) ? latency : null));
            }
        }

        // A household whose tier classified no load at all still has its sessions, all missed.
        foreach (var tier in scores.Keys)
        {
            var seen = recorded.Loads.Where(l => l.Tier == tier).Select(l => l.Seed).ToHashSet();
            foreach (var (_, session, _) in recorded.Sessions.Where(s => s.Scored && !seen.Contains(s.Seed)))
            {
                scores[tier].Sessions.Add(new SessionOutcome(session.Charger, null));
            }
        }

        return scores;
    }

    /// <summary>
    /// Writes the recording as text, one line per set, true session and load (a load's checkpoints as
    /// "age:probability:flicker:settled flicker:household flicker:slow flicker" (a recording without the last values reads them as NaN) separated by spaces, then in a last field the same checkpoints' curves as
    /// "power:mean:slope:standard error:drift:THD ratio", <see cref="LoadCurve"/>), times as Unix milliseconds. Files
    /// written before the settled flicker was recorded (three values a checkpoint) are still read, with it unmeasured
    /// (NaN), before the household flicker was (four values), with it unmeasured (<see cref="ReadFingerprints"/> fills
    /// it in from the fingerprints), and before the curves were, with no curves.
    /// </summary>
    public static void Write(string path, IEnumerable<RecordedSet> sets)
    {
        using var writer = new StreamWriter(path);
        foreach (var recorded in sets)
        {
            var set = recorded.Set;
            writer.WriteLine(Invariant($"set,{set.Name},{set.Parameters},{set.FirstSeed},{set.Households},{set.Days},{set.Sampling.Name}"));
            foreach (var (seed, session, scored) in recorded.Sessions)
            {
                writer.WriteLine(Invariant($"session,{seed},{session.Charger},{session.PluggedIn.ToUnixTimeMilliseconds()},{session.Unplugged.ToUnixTimeMilliseconds()},{(scored ? 1 : 0)}"));
            }

            foreach (var load in recorded.Loads)
            {
                var checkpoints = string.Join(' ', load.Checkpoints.Select(c => Invariant($"{c.AgeSeconds:0.###}:{c.Probability:0.#####}:{c.FlickerRatio:0.#####}:{c.SettledFlickerRatio:0.#####}:{c.HouseholdFlickerRatio:0.#####}:{c.SlowFlickerRatio:0.#####}")));
                var curves = string.Join(' ', load.Curves.Select(c =>
                    Invariant($"{c.Curve.PowerW:0.##}:{c.Curve.MeanW:0.##}:{c.Curve.SlopeWPerMinute:0.####}:{c.Curve.StandardErrorWPerMinute:0.####}:{c.Curve.BaselineDriftWPerMinute:0.####}:{c.ThdRatio:0.####}")));
                writer.WriteLine(Invariant($"load,{load.Seed},{load.Tier},{load.StartedAt.ToUnixTimeMilliseconds()},{load.PowerAddedW:0.#},{load.Cause},{checkpoints},{curves}"));
            }
        }
    }

    /// <summary>Reads what <see cref="Write"/> wrote; a line it cannot read is an error naming the line.</summary>
    public static List<RecordedSet> Read(string path)
    {
        var sets = new List<RecordedSet>();
        ScenarioSet? set = null;
        var sessions = new List<(int, TrueSession, bool)>();
        var loads = new List<RecordedLoad>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            var fields = line.Split(',');
            try
            {
                switch (fields[0])
                {
                    case "set":
                        Flush();
                        set = new ScenarioSet(fields[1], Enum.Parse<ParameterSet>(fields[2]), Int(fields[3]), Int(fields[4]), double.Parse(fields[5], CultureInfo.InvariantCulture), Sampling.Parse(fields[6]));
                        break;
                    case "session" when set is not null:
                        sessions.Add((Int(fields[1]), new TrueSession(Enum.Parse<ApplianceKind>(fields[2]), Time(fields[3]), Time(fields[3]), Time(fields[4]), [], 0, 0, 0, 0), fields[5] == "1"));
                        break;
                    case "load" when set is not null:
                        var checkpoints = fields[6].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(checkpoint =>
                        {
                            var values = checkpoint.Split(':');
                            return new RecordedCheckpoint(Number(values[0]), Number(values[1]), Number(values[2]), values.Length > 3 ? Number(values[3]) : double.NaN,
                                values.Length > 4 ? Number(values[4]) : double.NaN, values.Length > 5 ? Number(values[5]) : double.NaN);
                        }).ToList();
                        var curves = fields.Length > 7 ? fields[7].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Curve).ToList() : [];
                        if (curves.Count is not 0 && curves.Count != checkpoints.Count)
                        {
                            throw new FormatException($"{checkpoints.Count} checkpoints but {curves.Count} curves");
                        }

                        loads.Add(new RecordedLoad(Int(fields[1]), Enum.Parse<MeterTier>(fields[2]), Time(fields[3]), double.Parse(fields[4], CultureInfo.InvariantCulture), fields[5], checkpoints, curves));
                        break;
                    default:
                        throw new FormatException($"unknown record \"{fields[0]}\" (a file written by evaluate --record starts with a set line)");
                }
            }
            catch (Exception ex) when (ex is FormatException or IndexOutOfRangeException or ArgumentException or OverflowException)
            {
                throw new FormatException($"{path}, line {number}: {ex.Message}", ex);
            }
        }

        Flush();
        return sets;

        void Flush()
        {
            if (set is not null)
            {
                sets.Add(new RecordedSet(set, [.. sessions], [.. loads]));
            }

            sessions.Clear();
            loads.Clear();
        }
    }

    /// <summary>
    /// Writes every checkpoint's fingerprint of <paramref name="sets"/> (recorded by <see cref="Record"/>) as raw
    /// little-endian float32, in the order <see cref="Write"/> writes the loads and their checkpoints, after a header
    /// (a tag, the feature count and the checkpoint count) that <see cref="ReadFingerprints"/> checks.
    /// </summary>
    public static void WriteFingerprints(string path, IReadOnlyList<RecordedSet> sets)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(FingerprintsTag);
        writer.Write(Fingerprint.Count);
        writer.Write(sets.Sum(s => s.Loads.Sum(l => (long)l.Checkpoints.Count)));
        foreach (var load in sets.SelectMany(s => s.Loads))
        {
            var values = load.Fingerprints ?? throw new InvalidOperationException("The recording was made without fingerprints.");
            writer.Write(MemoryMarshal.AsBytes(values.AsSpan()));
        }
    }

    /// <summary>
    /// The sets read by <see cref="Read"/> with the fingerprints written by <see cref="WriteFingerprints"/> for them (and
    /// each checkpoint's household flicker taken from its fingerprint where the recording is older than that value); a
    /// file that does not fit them is a <see cref="FormatException"/>.
    /// </summary>
    public static List<RecordedSet> ReadFingerprints(string path, IReadOnlyList<RecordedSet> sets)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        var expected = sets.Sum(s => s.Loads.Sum(l => (long)l.Checkpoints.Count));
        if (reader.BaseStream.Length < 16 || reader.ReadInt32() != FingerprintsTag)
        {
            throw new FormatException($"{path} is not a fingerprint file written by evaluate --record --fingerprints.");
        }

        var (count, checkpoints) = (reader.ReadInt32(), reader.ReadInt64());
        if (count != Fingerprint.Count || checkpoints != expected || reader.BaseStream.Length != 16 + (checkpoints * count * sizeof(float)))
        {
            throw new FormatException($"{path} holds {checkpoints} fingerprints of {count} features; the recording has {expected} checkpoints and this detector makes {Fingerprint.Count} features.");
        }

        return [.. sets.Select(set => set with
        {
            Loads = [.. set.Loads.Select(load =>
            {
                var values = new float[load.Checkpoints.Count * count];
                reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
                var checkpoints = load.Checkpoints.Select((c, i) => double.IsNaN(c.HouseholdFlickerRatio)
                    ? c with { HouseholdFlickerRatio = values[(i * count) + ConfirmationEvidence.HouseholdFlickerFeature] }
                    : c);
                return load with { Fingerprints = values, Checkpoints = [.. checkpoints] };
            })],
        })];
    }

    /// <summary>
    /// The recording with every checkpoint's probability replaced by <paramref name="classify"/>'s for its fingerprint
    /// (all of a tier's fingerprints in one batch: the tier, row-major fingerprints, the probabilities to fill), for
    /// the given tiers; the others keep their recorded probabilities.
    /// </summary>
    public static RecordedSet Reclassify(RecordedSet recorded, IEnumerable<MeterTier> tiers, Action<MeterTier, float[], float[]> classify)
    {
        var loads = recorded.Loads.ToArray();
        foreach (var tier in tiers)
        {
            var indices = Enumerable.Range(0, loads.Length).Where(i => loads[i].Tier == tier).ToList();
            var fingerprints = indices.SelectMany(i => loads[i].Fingerprints ?? throw new InvalidOperationException("The recording has no fingerprints to classify.")).ToArray();
            var probabilities = new float[fingerprints.Length / Fingerprint.Count];
            classify(tier, fingerprints, probabilities);
            var next = 0;
            foreach (var i in indices)
            {
                loads[i] = loads[i] with { Checkpoints = [.. loads[i].Checkpoints.Select(c => c with { Probability = probabilities[next++] })] };
            }
        }

        return recorded with { Loads = loads };
    }

    /// <summary>"ESFP", little-endian: the first four bytes of a fingerprint file.</summary>
    private const int FingerprintsTag = 0x50465345;

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static (LoadCurve, double) Curve(string text)
    {
        var values = text.Split(':');
        return values.Length == 6
            ? (new LoadCurve(Number(values[0]), Number(values[1]), Number(values[2]), Number(values[3]), Number(values[4])), Number(values[5]))
            : throw new FormatException($"a curve has 6 values, not {values.Length}: \"{text}\"");
    }

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    private static DateTimeOffset Time(string unixMilliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(unixMilliseconds, CultureInfo.InvariantCulture)).ToOffset(SimulatedMeter.Start.Offset);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Stands in for the classifier inside the detector: keeps every load's checkpoints with the real model's probability and the fingerprint, and answers "not charging".</summary>
internal sealed class CheckpointRecorder(IChargingClassifier inner) : IChargingClassifier
{
    public Dictionary<DateTimeOffset, (double PowerAddedW, List<RecordedCheckpoint> Checkpoints, List<(LoadCurve Curve, double ThdRatio)> Curves, List<float> Fingerprints)> Loads { get; } = [];

    public float Probability(in Candidate candidate, ReadOnlySpan<float> fingerprint)
    {
        if (!Loads.TryGetValue(candidate.StartedAt, out var load))
        {
            Loads[candidate.StartedAt] = load = (fingerprint[2], [], [], []);
        }

        load.Fingerprints.AddRange(fingerprint);
        var evidence = CheckpointEvidence.Of(fingerprint, candidate.Curve, candidate.SettledFlickerRatio);
        load.Checkpoints.Add(new RecordedCheckpoint(fingerprint[0], inner.Probability(candidate, fingerprint), evidence.FlickerRatio, evidence.SettledFlickerRatio,
            evidence.HouseholdFlickerRatio, candidate.SlowFlickerRatio));
        load.Curves.Add((evidence.Curve, evidence.ThdRatio));
        return 0f;
    }
}
