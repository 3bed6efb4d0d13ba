using FluentAssertions;
using Microsoft.Extensions.Logging;

namespace EdgeSafety.TestSupport;

/// <summary>
/// Keeps what a service hosted in the test's process logs, every category, for a test that waits for a line as it
/// waits in a service process's output (<see cref="ServiceProcess.ReadingsSubscribed"/>). Add it after
/// AddServiceDefaults, which clears the providers.
/// </summary>
public sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly List<RecordingLogger<RecordingLoggerProvider>> _loggers = [];

    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (_loggers)
            {
                return [.. _loggers.SelectMany(logger => logger.Entries)];
            }
        }
    }

    public ILogger CreateLogger(string categoryName)
    {
        var logger = new RecordingLogger<RecordingLoggerProvider>();
        lock (_loggers)
        {
            _loggers.Add(logger);
        }

        return logger;
    }

    /// <summary>Waits until a logged line starts with <paramref name="text"/>.</summary>
    public Task WaitForAsync(string text, TimeSpan timeout) =>
        Eventually.SucceedsAsync(() => Entries.Should().Contain(entry => entry.Message.StartsWith(text, StringComparison.Ordinal)), timeout,
            $"a logged line starting with '{text}'");

    public void Dispose()
    {
    }
}
