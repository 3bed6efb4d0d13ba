using System.Collections.Concurrent;
using FluentAssertions;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace EdgeSafety.TestSupport;

/// <summary>
/// Keeps every entry an object under test logs, so that a test fails when it logged an error it should not have
/// (as MQTTnet's tests do). Entries are also written to the test output while the test runs.
/// </summary>
public sealed class RecordingLogger<T>(ITestOutputHelper? output = null, LogLevel minimum = LogLevel.Information) : ILogger<T>
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    public IReadOnlyList<LogEntry> Errors => [.. _entries.Where(e => e.Level >= LogLevel.Error)];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        var entry = new LogEntry(logLevel, formatter(state, exception), exception);
        _entries.Enqueue(entry);
        try
        {
            output?.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {typeof(T).Name} {logLevel}: {entry.Message}{(exception is null ? "" : " " + exception.Message)}");
        }
        catch (InvalidOperationException)
        {
            // The network thread may log after the test has finished; xunit no longer takes output then.
        }
    }

    /// <summary>Fails with every unexpected error in the message.</summary>
    public void ShouldHaveNoErrors() =>
        Errors.Should().BeEmpty("nothing under test should have logged an error, but logged: {0}",
            string.Join(" | ", Errors.Select(e => e.Message)));
}

public sealed record LogEntry(LogLevel Level, string Message, Exception? Exception);
