namespace EdgeSafety.TestSupport;

/// <summary>
/// Polls a condition until it holds or a deadline passes. Tests wait for an observable outcome this way,
/// never for a fixed time: a fast machine passes at once, a slow one gets the whole bound.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public static async Task SucceedsAsync(Func<Task> attempt, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                await attempt();
                return;
            }
            catch (Exception ex) when (DateTime.UtcNow < deadline && ex is not ExternalProcessExitedException)
            {
                await Task.Delay(PollInterval);
            }
            catch (Exception ex) when (ex is not ExternalProcessExitedException)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what}: {ex.Message}", ex);
            }
        }
    }

    public static Task SucceedsAsync(Action attempt, TimeSpan timeout, string what) =>
        SucceedsAsync(() => { attempt(); return Task.CompletedTask; }, timeout, what);

    public static async Task<T> ReturnsAsync<T>(Func<Task<T?>> attempt, TimeSpan timeout, string what)
        where T : class
    {
        T? result = null;
        await SucceedsAsync(async () =>
        {
            result = await attempt() ?? throw new InvalidOperationException("not yet");
        }, timeout, what);
        return result!;
    }
}
