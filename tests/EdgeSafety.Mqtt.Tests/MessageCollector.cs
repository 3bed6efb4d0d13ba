using EdgeSafety.TestSupport;

namespace EdgeSafety.Mqtt.Tests;

/// <summary>Collects what a client receives (on its network thread) for assertions from the test.</summary>
public sealed class MessageCollector
{
    private readonly Lock _sync = new();
    private readonly List<MqttMessage> _messages = [];

    public IReadOnlyList<MqttMessage> Messages
    {
        get
        {
            lock (_sync)
            {
                return [.. _messages];
            }
        }
    }

    public void Add(MqttMessage message)
    {
        lock (_sync)
        {
            _messages.Add(message);
        }
    }

    public Task<IReadOnlyList<MqttMessage>> WaitForAsync(int count, TimeSpan timeout) =>
        WaitForAsync(messages => messages.Count >= count, timeout, $"{count} messages");

    public async Task<IReadOnlyList<MqttMessage>> WaitForAsync(Func<IReadOnlyList<MqttMessage>, bool> condition,
        TimeSpan timeout, string what)
    {
        IReadOnlyList<MqttMessage> seen = [];
        await Eventually.SucceedsAsync(() =>
        {
            seen = Messages;
            if (!condition(seen))
            {
                throw new InvalidOperationException($"{seen.Count} messages so far");
            }
        }, timeout, what);
        return seen;
    }
}
