using System.Collections.Concurrent;
using System.Net.ServerSentEvents;
using System.Text.Json;

namespace EdgeSafety.TestSupport;

/// <summary>One open dashboard /api/live stream, read in the background the way EventSource reads it; keeps every event.</summary>
public sealed class DashboardLiveStream : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<(string Name, JsonElement Data)> _events = new();
    private readonly Task _reading;

    private DashboardLiveStream(Stream stream)
    {
        _reading = Task.Run(async () =>
        {
            try
            {
                await foreach (var item in SseParser.Create(stream, (name, data) => JsonDocument.Parse(data.ToArray()).RootElement.Clone()).EnumerateAsync(_stop.Token))
                {
                    _events.Enqueue((item.EventType, item.Data));
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException)
            {
                // Closed by the test.
            }
        });
    }

    public IReadOnlyList<(string Name, JsonElement Data)> Events => [.. _events];

    /// <summary>Opens the stream and waits for its "ready" event: from then on, nothing published is missed.</summary>
    public static async Task<DashboardLiveStream> OpenAsync(DashboardSession session)
    {
        var response = await session.Http.GetAsync(new Uri("api/live", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var stream = new DashboardLiveStream(await response.Content.ReadAsStreamAsync());
        await stream.WaitForAsync("ready", _ => true, "the live stream's ready event");
        return stream;
    }

    /// <summary>Waits for an event of the name that matches, and returns it.</summary>
    public async Task<JsonElement> WaitForAsync(string name, Func<JsonElement, bool> match, string what)
    {
        JsonElement found = default;
        await Eventually.SucceedsAsync(() =>
        {
            var hits = _events.Where(e => e.Name == name && match(e.Data)).Select(e => e.Data).Take(1).ToList();
            found = hits.Count == 1 ? hits[0] : throw new InvalidOperationException("not yet");
        }, TimeSpan.FromSeconds(10), what);
        return found;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading;
        _stop.Dispose();
    }
}
