using System.Diagnostics;
using System.Globalization;

namespace EdgeSafety.Fuzz;

/// <summary>An input that made a target throw: enough to reproduce it (target, seed, case) and the input itself.</summary>
public sealed record FuzzCrash(string Target, int Seed, long Case, string Error, byte[] Input, string? SavedTo);

/// <summary>What one target's cases came to.</summary>
public sealed record FuzzResult(string Target, long Cases, Tally Tally, IReadOnlyList<FuzzCrash> Crashes, TimeSpan Duration)
{
    /// <summary>One line for a log: cases, crashes, speed, accepted, and the rejections by reason, most frequent first.</summary>
    public string Summary()
    {
        var rejections = string.Join("; ", Tally.Rejections.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key} {r.Value:N0}")));
        return string.Create(CultureInfo.InvariantCulture,
            $"fuzz {Target}: {Cases:N0} cases, {Crashes.Count} crashes, {Duration.TotalSeconds:F1} s ({Cases / Math.Max(Duration.TotalSeconds, 1e-3):N0}/s); accepted {Tally.Accepted:N0}, rejected {Tally.RejectionCount:N0}: {rejections}");
    }
}

/// <summary>
/// Runs a target's cases. Case i of seed s gets its own random source, derived from (s, target, i) alone, so any case
/// is reproduced by its seed and number without running the others (<see cref="Generate"/>). An exception out of the
/// target is a crash: printed with its seed, case and input (hex), and the input saved under the crash folder.
/// </summary>
public sealed class FuzzRunner(TextWriter log, string? crashDirectory)
{
    /// <summary>A crash printed and saved this many times per target; later ones are counted only.</summary>
    private const int ReportedCrashes = 10;

    public FuzzResult Run(FuzzTarget target, long cases, int seed)
    {
        var tally = new Tally();
        var crashes = new List<FuzzCrash>();
        var clock = Stopwatch.StartNew();
        for (long i = 0; i < cases; i++)
        {
            var input = Generate(target, seed, i);
            if (Execute(target, input, tally) is { } error)
            {
                crashes.Add(Report(target, seed, i, error, input, crashes.Count < ReportedCrashes));
            }
        }

        try
        {
            target.Finish();
        }
#pragma warning disable CA1031 // Whatever the check throws is its failure, reported as a crash.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            crashes.Add(Report(target, seed, -1, ex.ToString(), [], true));
        }

        return new FuzzResult(target.Name, cases, tally, crashes, clock.Elapsed);
    }

    /// <summary>The input of case <paramref name="index"/> of <paramref name="seed"/>.</summary>
    public static byte[] Generate(FuzzTarget target, int seed, long index) => target.Generate(new Random(CaseSeed(seed, target.Name, index)));

    /// <summary>Runs one input; the exception's text if the target threw.</summary>
    public static string? Execute(FuzzTarget target, byte[] input, Tally tally)
    {
        try
        {
            target.Run(input, tally);
            return null;
        }
#pragma warning disable CA1031 // Any exception at all is what the harness looks for.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ex.ToString();
        }
    }

    public static string Hex(ReadOnlySpan<byte> input) => Convert.ToHexString(input);

    /// <summary>SplitMix64 over the seed, the target's name and the case number.</summary>
    private static int CaseSeed(int seed, string target, long index)
    {
        var state = (ulong)(uint)seed;
        foreach (var c in target)
        {
            state = Mix(state ^ c);
        }

        return (int)Mix(state ^ (ulong)index);

        static ulong Mix(ulong z)
        {
            z += 0x9E3779B97F4A7C15;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            return z ^ (z >> 31);
        }
    }

    private FuzzCrash Report(FuzzTarget target, int seed, long index, string error, byte[] input, bool print)
    {
        string? path = null;
        if (print && crashDirectory is not null && input.Length > 0)
        {
            Directory.CreateDirectory(crashDirectory);
            path = Path.Combine(crashDirectory, string.Create(CultureInfo.InvariantCulture, $"{target.Name}-seed{seed}-case{index}.bin"));
            File.WriteAllBytes(path, input);
        }

        if (print)
        {
            var hex = Hex(input.AsSpan(0, Math.Min(input.Length, 2048)));
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"CRASH {target.Name} seed {seed} case {index} (replay: --target {target.Name} --seed {seed} --case {index}{(path is null ? "" : $" or --replay {path}")})"));
            log.WriteLine($"  input ({input.Length} bytes{(input.Length > 2048 ? ", first 2048" : "")}): {hex}");
            log.WriteLine("  " + error.Replace("\n", "\n  ", StringComparison.Ordinal));
        }

        return new FuzzCrash(target.Name, seed, index, error, input, path);
    }
}
