using System.Collections.Concurrent;
using System.Diagnostics;

namespace EdgeSafety.TestSupport;

public sealed class ExternalProcessExitedException(string message) : Exception(message);

/// <summary>
/// A program started by a test (a server, socat, one of our services). Its output is kept for the failure
/// message; disposing kills it by its own process id and nothing else.
/// </summary>
public sealed class ExternalProcess : IDisposable
{
    private const int KeptOutputLines = 400;
    private readonly Process _process;
    private readonly IDisposable? _owned;
    private readonly ConcurrentQueue<string> _output = new();
    private bool _disposed;

    private ExternalProcess(string name, Process process, IDisposable? owned)
    {
        Name = name;
        _process = process;
        _owned = owned;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output => string.Join('\n', _output);

    /// <summary>Starts the program; <paramref name="owned"/> (a folder only it uses) is disposed after it is killed.</summary>
    public static ExternalProcess Start(string name, string fileName, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null, IDisposable? owned = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var started = new ExternalProcess(name, process, owned);
        process.OutputDataReceived += (_, e) => started.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => started.Keep(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {fileName}.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    public void ThrowIfExited()
    {
        if (_process.HasExited)
        {
            throw new ExternalProcessExitedException(
                $"{Name} exited with code {_process.ExitCode}. Its last output:\n{Output}");
        }
    }

    /// <summary>Waits until the process writes a line containing the text.</summary>
    public Task WaitForOutputAsync(string text, TimeSpan timeout) =>
        Eventually.SucceedsAsync(() =>
        {
            if (!_output.Any(line => line.Contains(text, StringComparison.Ordinal)))
            {
                ThrowIfExited();
                throw new InvalidOperationException($"no line with \"{text}\" yet");
            }
        }, timeout, $"{Name} to print \"{text}\"");

    /// <summary>SIGTERM, the way a service manager stops a service; waits for the exit.</summary>
    public async Task<int> StopGracefullyAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            SignalTerm(_process.Id);
            using var cts = new CancellationTokenSource(timeout);
            await _process.WaitForExitAsync(cts.Token);
        }

        return _process.ExitCode;
    }

    /// <summary>Waits for the process to end by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: a crash or a power cut, as the process sees it.</summary>
    public void Kill()
    {
        if (!_disposed && !_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _disposed = true;
        _process.Dispose();
        _owned?.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > KeptOutputLines && _output.TryDequeue(out _))
        {
        }
    }

    private static void SignalTerm(int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
        })!;
        kill.WaitForExit();
    }
}
