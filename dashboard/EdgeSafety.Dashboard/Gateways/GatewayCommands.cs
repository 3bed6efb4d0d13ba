using System.Collections.Concurrent;
using EdgeSafety.Contracts;
using EdgeSafety.Mqtt;
using Microsoft.Extensions.Options;

namespace EdgeSafety.Dashboard.Gateways;

/// <summary>The broker connection that carries commands, replies, statuses and device events.</summary>
public sealed record ControlConnection(MqttClient Client);

/// <summary>A gateway answered a command with ok false; the message is its error.</summary>
public sealed class GatewayRefusedException(string message) : Exception(message);

/// <summary>
/// Sends a command to a gateway (docs/protocol.md: commands/{command}) and waits for its reply with the same id. A
/// command with no reply within Dashboard:CommandTimeout fails with <see cref="TimeoutException"/>; the gateway
/// remembers ids, so a retry by the user never runs it twice.
/// </summary>
public sealed class GatewayCommands(ControlConnection control, IOptions<DashboardOptions> options)
{
    private readonly ConcurrentDictionary<(string Site, string Gateway, string Id), TaskCompletionSource<CommandReply>> _waiting = new();

    public static string NewId() => Guid.NewGuid().ToString("N");

    public async Task<CommandReply> SendAsync(string site, string gateway, GatewayCommand command, CancellationToken cancellationToken)
    {
        var key = (site, gateway, command.Id);
        var reply = new TaskCompletionSource<CommandReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[key] = reply;
        try
        {
            if (!control.Client.IsConnected)
            {
                throw new TimeoutException("The dashboard is not connected to the broker: the command was not sent.");
            }

            await control.Client.PublishAsync(Topics.Command(site, gateway, command.Name), CommandCodec.Serialize(command), MqttQos.AtLeastOnce,
                cancellationToken: cancellationToken);
            var timeout = options.Value.CommandTimeout;
            try
            {
                return await reply.Task.WaitAsync(timeout, cancellationToken);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"Gateway {site}/{gateway} did not answer the {command.Name} command within {timeout.TotalSeconds:0} s.");
            }
        }
        finally
        {
            _waiting.TryRemove(key, out _);
        }
    }

    /// <summary>Hands a reply to the command waiting for it; a reply nobody waits for (a late one) is dropped.</summary>
    public void Complete(string site, string gateway, CommandReply reply)
    {
        if (_waiting.TryGetValue((site, gateway, reply.Id), out var waiting))
        {
            waiting.TrySetResult(reply);
        }
    }

    /// <summary>The reply of a command that must succeed: a refusal becomes <see cref="GatewayRefusedException"/>.</summary>
    public async Task<CommandReply> RunAsync(string site, string gateway, GatewayCommand command, CancellationToken cancellationToken)
    {
        var reply = await SendAsync(site, gateway, command, cancellationToken);
        return reply.Ok ? reply : throw new GatewayRefusedException($"Gateway {site}/{gateway} refused the {command.Name} command: {reply.Error}");
    }
}
