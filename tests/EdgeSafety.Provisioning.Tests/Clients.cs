using System.Collections.Concurrent;
using EdgeSafety.Mqtt;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Provisioning.Tests;

/// <summary>The clients of one test, checked for logged errors (except those expected) and disposed at the end.</summary>
public sealed class Clients(ITestOutputHelper output) : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly List<(MqttClient Client, RecordingLogger<MqttClient> Log)> _clients = [];

    public (MqttClient Client, RecordingLogger<MqttClient> Log) Create(MqttClientOptions options)
    {
        var log = new RecordingLogger<MqttClient>(output);
        var client = new MqttClient(options, log);
        _clients.Add((client, log));
        return (client, log);
    }

    /// <summary>A connected client whose received messages land in <paramref name="received"/>.</summary>
    public async Task<MqttClient> ConnectAsync(MqttClientOptions options, ConcurrentQueue<MqttMessage>? received = null)
    {
        var (client, _) = Create(options);
        if (received is not null)
        {
            client.MessageReceived = received.Enqueue;
        }

        using var timeout = new CancellationTokenSource(Timeout);
        await client.ConnectAsync(timeout.Token);
        return client;
    }

    public void ShouldHaveLoggedNoErrors()
    {
        foreach (var (_, log) in _clients)
        {
            log.ShouldHaveNoErrors();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (client, _) in _clients)
        {
            await client.DisposeAsync();
        }
    }
}
