using System.ComponentModel.DataAnnotations;
using EdgeSafety.Contracts;

namespace EdgeSafety.EdgeAgent.Commands;

/// <summary>
/// How the gateway plays an on-site warning (section "Warning"): a player program run with an argument list in which
/// <c>{message}</c> becomes the message's text and <c>{file}</c> its recording, e.g. <c>espeak-ng -v zh {message}</c> or
/// <c>aplay -q {file}</c>. Never through a shell: the text may come from the network.
/// </summary>
public sealed class WarningOptions : IValidatableObject
{
    public const string MessagePlaceholder = "{message}";
    public const string FilePlaceholder = "{file}";

    /// <summary>The player program (full path); none: the gateway refuses warn commands.</summary>
    public string? Player { get; set; }

    public List<string> Arguments { get; set; } = [];

    /// <summary>Messages by key: what a warn command names.</summary>
    public Dictionary<string, RecordedWarning> Messages { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Whether a warn command may carry its own text (spoken by a text-to-speech player), not only a key.</summary>
    public bool AllowFreeText { get; set; }

    [Range(1, CommandCodec.MaxWarnTextLength)]
    public int MaxTextLength { get; set; } = 120;

    /// <summary>A player that runs longer is stopped and the warning reported failed.</summary>
    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>At most one warning per target (the noise sensor or device the command names) in this time; 0: no limit.</summary>
    [Range(0, 1440)]
    public int MinimumIntervalMinutes { get; set; } = 10;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Player is null)
        {
            yield break;
        }

        var usesText = Arguments.Any(a => a.Contains(MessagePlaceholder, StringComparison.Ordinal));
        var usesFile = Arguments.Any(a => a.Contains(FilePlaceholder, StringComparison.Ordinal));
        if (!usesText && !usesFile)
        {
            yield return new ValidationResult($"Arguments must use {MessagePlaceholder} or {FilePlaceholder}: the player needs to know what to play.", [nameof(Arguments)]);
        }

        if (AllowFreeText && usesFile)
        {
            yield return new ValidationResult($"AllowFreeText needs a text-to-speech player: free text has no {FilePlaceholder}.", [nameof(AllowFreeText)]);
        }

        foreach (var (key, message) in Messages)
        {
            if (!Topics.IsValidId(key))
            {
                yield return new ValidationResult($"Messages: '{key}' is not a valid key (letters, digits, '-', '_').", [nameof(Messages)]);
            }

            if (usesText && string.IsNullOrEmpty(message.Text))
            {
                yield return new ValidationResult($"Messages:{key}:Text is required: the player's arguments use {MessagePlaceholder}.", [nameof(Messages)]);
            }

            if (usesFile && string.IsNullOrEmpty(message.File))
            {
                yield return new ValidationResult($"Messages:{key}:File is required: the player's arguments use {FilePlaceholder}.", [nameof(Messages)]);
            }
        }
    }
}

/// <summary>One warning the platform can ask for by key: its text (for a text-to-speech player) and/or its recording.</summary>
public sealed class RecordedWarning
{
    public string? Text { get; set; }

    public string? File { get; set; }
}
