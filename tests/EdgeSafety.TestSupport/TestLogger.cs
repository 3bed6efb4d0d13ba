using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EdgeSafety.TestSupport;

/// <summary>
/// A logger for objects a test builds itself (a client, a service part). It keeps every entry at warning or
/// above, so a test can fail on any error the code under test logged, as MQTTnet's tests do.
/// </summary>
public sealed class TestLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<string> _problems = new();

    public IReadOnlyCollection<string> Errors => [.. _problems.Where(p => p.StartsWith("Error", StringComparison.Ordinal) || p.StartsWith("Critical", StringComparison.Ordinal))];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            _problems.Enqueue($"{logLevel}: {formatter(state, exception)} {exception}");
        }
    }
}
