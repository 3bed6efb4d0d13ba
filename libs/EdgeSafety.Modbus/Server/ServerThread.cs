namespace EdgeSafety.Modbus.Server;

/// <summary>
/// Runs a server's blocking loop on a dedicated thread. The loop must return within a short time of its token
/// being cancelled; its task then ends as cancelled, or as faulted if the loop threw. Starting it closes the
/// server's unit table to additions.
/// </summary>
internal sealed class ServerThread(string name, ServedUnits units, Action<CancellationToken> loop) : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    public ServedUnits Units => units;
    private Thread? _thread;

    public Task Start(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() => Run(completion, cancellationToken)) { IsBackground = true, Name = name };
        if (Interlocked.CompareExchange(ref _thread, thread, null) is not null)
        {
            throw new InvalidOperationException($"{name} is already running.");
        }

        units.Freeze();
        thread.Start();
        return completion.Task;
    }

    /// <summary>Stops the loop and waits for its thread, so native resources can be released after this returns.</summary>
    public void Dispose()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        _stopping.Cancel();
        var thread = Volatile.Read(ref _thread);
        if (thread is not null && thread != Thread.CurrentThread)
        {
            thread.Join();
        }

        _stopping.Dispose();
    }

    private void Run(TaskCompletionSource completion, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        try
        {
            loop(linked.Token);
            completion.TrySetCanceled(cancellationToken.IsCancellationRequested ? cancellationToken : linked.Token);
        }
        catch (Exception ex)
        {
            // Nothing may escape a thread's start method: it would end the process.
            completion.TrySetException(ex);
        }
    }
}
