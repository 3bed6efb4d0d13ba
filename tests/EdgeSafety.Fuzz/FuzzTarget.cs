using System.Text;
using System.Text.RegularExpressions;

namespace EdgeSafety.Fuzz;

/// <summary>
/// One piece of code that reads hostile input. <see cref="Generate"/> makes a case's input from its own random source
/// (a valid input, usually mutated); <see cref="Run"/> feeds it to the code as production does and records each outcome
/// in the tally: accepted, or rejected with the reason the code documents. Anything else it throws is a crash.
/// </summary>
public abstract class FuzzTarget(string name, string description)
{
    public string Name { get; } = name;

    public string Description { get; } = description;

    public abstract byte[] Generate(Random random);

    public abstract void Run(byte[] input, Tally tally);

    /// <summary>Checks what must hold once all cases ran (a service still healthy); throws if it does not.</summary>
    public virtual void Finish()
    {
    }

    /// <summary>Inputs made of a topic and a payload are stored as the topic's UTF-8, a newline, then the payload.</summary>
    public static byte[] Join(string head, ReadOnlySpan<byte> body) => [.. Encoding.UTF8.GetBytes(head.Replace('\n', ' ')), (byte)'\n', .. body];

    public static (string Head, byte[] Body) Split(byte[] input)
    {
        var newline = Array.IndexOf(input, (byte)'\n');
        return newline < 0 ? (Encoding.UTF8.GetString(input), []) : (Encoding.UTF8.GetString(input, 0, newline), input[(newline + 1)..]);
    }
}

/// <summary>An outcome that breaks a target's contract without an exception of its own (say, a value lost on the way).</summary>
public sealed class FuzzInvariantException(string message) : Exception(message);

/// <summary>What the cases of one target came to: accepted inputs and rejections counted by reason.</summary>
public sealed partial class Tally
{
    private readonly Dictionary<string, long> _rejections = new(StringComparer.Ordinal);

    public long Accepted { get; private set; }

    public IReadOnlyDictionary<string, long> Rejections => _rejections;

    public long RejectionCount => _rejections.Values.Sum();

    public void Accept() => Accepted++;

    public void Reject(string reason) => _rejections[reason] = _rejections.GetValueOrDefault(reason) + 1;

    /// <summary>
    /// Counts a rejection whose reason is a free-text message (a CSV row's error, a profile's problem): quoted text,
    /// numbers and line numbers are folded so that the same reason is counted once whatever the input held.
    /// </summary>
    public void RejectMessage(string message)
    {
        var folded = Number().Replace(Quoted().Replace(message, "'…'"), "N");
        Reject(folded.Length <= 90 ? folded : string.Concat(folded.AsSpan(0, 90), "…"));
    }

    public void Add(Tally other)
    {
        Accepted += other.Accepted;
        foreach (var (reason, count) in other._rejections)
        {
            _rejections[reason] = _rejections.GetValueOrDefault(reason) + count;
        }
    }

    [GeneratedRegex("\"[^\"]*\"|'[^']*'|\\([^)]*\\)")]
    private static partial Regex Quoted();

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Number();
}
