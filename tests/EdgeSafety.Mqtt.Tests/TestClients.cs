using EdgeSafety.TestSupport;
using Microsoft.Extensions.Logging;

namespace EdgeSafety.Mqtt.Tests;

/// <summary>Clients for one test, all checked for logged errors and disposed at the end.</summary>
public sealed class TestClients(ITestOutputHelper output) : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly List<(MqttClient Client, RecordingLogger<MqttClient> Logger)> _clients = [];

    public static string UniqueId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..23];

    public (MqttClient Client, RecordingLogger<MqttClient> Logger) Create(int port, Action<MqttClientOptions>? configure = null,
        MqttWill? will = null, LogLevel logLevel = LogLevel.Information)
    {
        var options = new MqttClientOptions { Host = "127.0.0.1", Port = port, ClientId = UniqueId("es") };
        configure?.Invoke(options);
        var logger = new RecordingLogger<MqttClient>(output, logLevel);
        var client = new MqttClient(options, logger, will);
        _clients.Add((client, logger));
        return (client, logger);
    }

    public async Task<MqttClient> ConnectAsync(MosquittoBroker broker, MessageCollector? received = null,
        Action<MqttClientOptions>? configure = null)
    {
        var (client, _) = Create(broker.Port, configure);
        if (received is not null)
        {
            client.MessageReceived = received.Add;
        }

        await ConnectWithinTimeoutAsync(client);
        return client;
    }

    public static async Task ConnectWithinTimeoutAsync(MqttClient client)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await client.ConnectAsync(timeout.Token);
    }

    /// <summary>Fails if any client logged an error, except those named (their errors the test checks itself).</summary>
    public void ShouldHaveLoggedNoErrors(params MqttClient[] except)
    {
        foreach (var (client, logger) in _clients.Where(c => !except.Contains(c.Client)))
        {
            logger.ShouldHaveNoErrors();
            client.CallbackFailures.Should().Be(0);
        }
    }

    public RecordingLogger<MqttClient> LoggerOf(MqttClient client) => _clients.Single(c => c.Client == client).Logger;

    public async ValueTask DisposeAsync()
    {
        foreach (var (client, _) in _clients)
        {
            await client.DisposeAsync();
        }
    }
}
