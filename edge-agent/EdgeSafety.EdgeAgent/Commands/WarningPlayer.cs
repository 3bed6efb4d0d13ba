using System.ComponentModel;
using System.Diagnostics;
using EdgeSafety.Contracts;
using Microsoft.Extensions.Options;

namespace EdgeSafety.EdgeAgent.Commands;

/// <summary>
/// Plays on-site warnings with the configured player, at most once per target per <see cref="WarningOptions.MinimumIntervalMinutes"/>:
/// a noise rule that fires every minute must not turn the courtyard speaker into a siren.
/// </summary>
public sealed partial class WarningPlayer(IOptions<WarningOptions> options, TimeProvider time, ILogger<WarningPlayer> logger)
{
    /// <summary>The player's last words on failure are kept for the reply, within reason.</summary>
    private const int MaxErrorOutput = 300;

    private readonly Lock _sync = new();
    private readonly Dictionary<string, DateTimeOffset> _lastPlayed = new(StringComparer.Ordinal);

    /// <summary>Plays the warning; returns null when the player finished with exit code 0, else what went wrong.</summary>
    public async Task<string?> PlayAsync(WarnCommand command, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.Player is null)
        {
            return "no warning player is configured on this gateway (setting Warning:Player)";
        }

        if (Arguments(settings, command, out var error) is not { } arguments)
        {
            return error;
        }

        var interval = TimeSpan.FromMinutes(settings.MinimumIntervalMinutes);
        DateTimeOffset? previous;
        lock (_sync)
        {
            var now = time.GetUtcNow();
            if (_lastPlayed.TryGetValue(command.Target, out var last) && now < last + interval)
            {
                return $"rate limited until {JsonTime(last + interval)}: {command.Target} was warned at {JsonTime(last)}";
            }

            // Taken now, so that a second command for the same target while this one plays is refused too.
            previous = _lastPlayed.TryGetValue(command.Target, out var earlier) ? earlier : null;
            _lastPlayed[command.Target] = now;
        }

        error = await RunAsync(settings, arguments, cancellationToken);
        if (error is null)
        {
            LogPlayed(command.Target, command.MessageKey ?? "free text", command.Id);
            return null;
        }

        lock (_sync)
        {
            // Nothing was heard: the next command for this target may try again.
            if (previous is { } restored)
            {
                _lastPlayed[command.Target] = restored;
            }
            else
            {
                _lastPlayed.Remove(command.Target);
            }
        }

        LogFailed(command.Target, command.Id, error);
        return error;
    }

    /// <summary>The player's argument list with the placeholders filled, or null and why not.</summary>
    private static List<string>? Arguments(WarningOptions settings, WarnCommand command, out string? error)
    {
        string? text;
        string? file = null;
        if (command.MessageKey is { } key)
        {
            if (!settings.Messages.TryGetValue(key, out var message))
            {
                error = $"no recorded message '{key}' on this gateway (configured: {string.Join(", ", settings.Messages.Keys.Order(StringComparer.Ordinal))})";
                return null;
            }

            (text, file) = (message.Text, message.File);
        }
        else if (!settings.AllowFreeText)
        {
            error = "free-text warnings are not allowed on this gateway (setting Warning:AllowFreeText); name a recorded message";
            return null;
        }
        else if (command.Text!.Length > settings.MaxTextLength)
        {
            error = $"the text is {command.Text.Length} characters; this gateway plays at most {settings.MaxTextLength}";
            return null;
        }
        else
        {
            text = command.Text;
        }

        error = null;
        // Each placeholder fills part of one argument: the text stays one argv entry whatever it contains.
        return [.. settings.Arguments.Select(argument => argument
            .Replace(WarningOptions.MessagePlaceholder, text, StringComparison.Ordinal)
            .Replace(WarningOptions.FilePlaceholder, file, StringComparison.Ordinal))];
    }

    private static async Task<string?> RunAsync(WarningOptions settings, List<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(settings.Player!)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        arguments.ForEach(start.ArgumentList.Add);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception ex)
        {
            return $"the player {settings.Player} could not be started: {ex.Message}";
        }

        using (process)
        {
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                return cancellationToken.IsCancellationRequested
                    ? "the agent is stopping; the player was stopped"
                    : $"the player did not finish within {settings.TimeoutSeconds} s and was stopped";
            }

            await output;
            var said = (await errors).Trim();
            if (process.ExitCode == 0)
            {
                return null;
            }

            return said.Length == 0
                ? $"the player exited with code {process.ExitCode}"
                : $"the player exited with code {process.ExitCode}: {(said.Length <= MaxErrorOutput ? said : said[^MaxErrorOutput..])}";
        }
    }

    private static string JsonTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "Warning played for {Target} ({Message}), command {Id}")]
    private partial void LogPlayed(string target, string message, string id);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Warning, Message = "Warning for {Target} not played, command {Id}: {Error}")]
    private partial void LogFailed(string target, string id, string error);
}
