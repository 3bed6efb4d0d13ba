using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeSafety.Mqtt;
using Microsoft.Extensions.Logging;

namespace EdgeSafety.Provisioning;

/// <summary>
/// Administers mosquitto's dynamic security plugin over MQTT, on its control topic: creates a gateway's client and
/// role at enrolment, deletes them at revocation. The broker applies a change at once and disconnects a deleted
/// client's connections (verified against mosquitto 2.0.11 in tests/EdgeSafety.Provisioning.Tests), and saves the
/// plugin's file itself. Connects on first use with the given settings, as the "provisioning" client (<see cref="BrokerRoles"/>).
/// </summary>
public sealed class DynamicSecurityControl(MqttClientOptions options, ILogger<MqttClient> logger) : IAsyncDisposable
{
    public const string Topic = "$CONTROL/dynamic-security/v1";
    public const string ResponseTopic = Topic + "/response";

    private static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonArray>> _pending = new();
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private MqttClient? _mqtt;

    /// <summary>
    /// Creates the gateway's role and a client with this password, replacing any earlier client of the same gateway
    /// (a gateway enrolled again loses its old credentials, and an old connection with them is closed).
    /// </summary>
    public async Task AddGatewayAsync(string site, string gateway, string password, CancellationToken cancellationToken)
    {
        var role = BrokerRoles.Gateway(site, gateway);
        var username = BrokerRoles.GatewayUsername(site, gateway);
        var results = await SendAsync(
        [
            new JsonObject { ["command"] = "deleteClient", ["username"] = username },
            new JsonObject { ["command"] = "deleteRole", ["rolename"] = role.Name },
            RoleJson(role, command: "createRole"),
            new JsonObject
            {
                ["command"] = "createClient", ["username"] = username, ["password"] = password,
                ["roles"] = new JsonArray(new JsonObject { ["rolename"] = role.Name }),
            },
        ], cancellationToken).ConfigureAwait(false);
        // The deletes fail harmlessly when there was nothing to replace; the creates must succeed.
        ThrowOnError(results[2]);
        ThrowOnError(results[3]);
    }

    /// <summary>Deletes the gateway's client and role; its connections are closed at once. False when it had none.</summary>
    public async Task<bool> RevokeGatewayAsync(string site, string gateway, CancellationToken cancellationToken)
    {
        var username = BrokerRoles.GatewayUsername(site, gateway);
        var results = await SendAsync(
        [
            new JsonObject { ["command"] = "deleteClient", ["username"] = username },
            new JsonObject { ["command"] = "deleteRole", ["rolename"] = username },
        ], cancellationToken).ConfigureAwait(false);
        if (ErrorOf(results[0]) is { } error && error.Contains("not found", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        ThrowOnError(results[0]);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_mqtt is not null)
        {
            await _mqtt.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The plugin's form of a role (createRole command, or the file's "roles" entry).</summary>
    internal static JsonObject RoleJson(BrokerRole role, string? command = null)
    {
        var json = new JsonObject();
        if (command is not null)
        {
            json["command"] = command;
        }

        json["rolename"] = role.Name;
        json["acls"] = new JsonArray([.. role.Acls.Select(a => (JsonNode)new JsonObject
        {
            ["acltype"] = a.Type, ["topic"] = a.Topic, ["priority"] = 0, ["allow"] = true,
        })]);
        return json;
    }

    /// <summary>One request with several commands, answered in order in one response (correlated by its correlationData).</summary>
    private async Task<JsonArray> SendAsync(JsonObject[] commands, CancellationToken cancellationToken)
    {
        var mqtt = await ConnectedAsync(cancellationToken).ConfigureAwait(false);
        var correlation = Guid.NewGuid().ToString("N");
        foreach (var command in commands)
        {
            command["correlationData"] = correlation;
        }

        var response = new TaskCompletionSource<JsonArray>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[correlation] = response;
        try
        {
            var request = new JsonObject { ["commands"] = new JsonArray(commands) };
            await mqtt.PublishAsync(Topic, JsonSerializer.SerializeToUtf8Bytes(request), MqttQos.AtLeastOnce, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            var responses = await response.Task.WaitAsync(ResponseTimeout, cancellationToken).ConfigureAwait(false);
            return responses.Count == commands.Length
                ? responses
                : throw new BrokerAdministrationException($"The broker answered {responses.Count} of {commands.Length} commands.");
        }
        catch (TimeoutException)
        {
            throw new BrokerAdministrationException(
                $"The broker did not answer on {ResponseTopic} within {ResponseTimeout.TotalSeconds:0} s: is the dynamic security plugin loaded, and does this client have the provisioning role?");
        }
        finally
        {
            _pending.TryRemove(correlation, out _);
        }
    }

    /// <summary>
    /// The first call connects and subscribes to the responses; the client then reconnects and subscribes again by
    /// itself. A first connection that fails is dropped, so the next call tries afresh.
    /// </summary>
    private async Task<MqttClient> ConnectedAsync(CancellationToken cancellationToken)
    {
        await _connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_mqtt is not null)
            {
                return _mqtt;
            }

            var mqtt = new MqttClient(options, logger) { MessageReceived = OnResponse };
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(ResponseTimeout);
                await mqtt.ConnectAsync(timeout.Token).ConfigureAwait(false);
                await mqtt.SubscribeAsync(ResponseTopic, MqttQos.AtLeastOnce, timeout.Token).ConfigureAwait(false);
            }
            catch
            {
                await mqtt.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            return _mqtt = mqtt;
        }
        finally
        {
            _connecting.Release();
        }
    }

    /// <summary>On the client's network thread: hands each response to its waiting request; anything else is ignored.</summary>
    private void OnResponse(MqttMessage message)
    {
        try
        {
            if (JsonNode.Parse(message.Payload)?["responses"] is JsonArray { Count: > 0 } responses
                && responses[0]?["correlationData"]?.GetValue<string>() is { } correlation
                && _pending.TryGetValue(correlation, out var waiter))
            {
                waiter.TrySetResult(responses);
            }
        }
        catch (JsonException)
        {
            // Not a response of ours (the plugin only publishes well-formed JSON here).
        }
        catch (InvalidOperationException)
        {
            // correlationData of another type: someone else's request.
        }
    }

    private static string? ErrorOf(JsonNode? response) => response?["error"]?.GetValue<string>();

    private static void ThrowOnError(JsonNode? response)
    {
        if (ErrorOf(response) is { } error)
        {
            throw new BrokerAdministrationException($"The broker refused {response?["command"]}: {error}");
        }
    }
}

/// <summary>The broker refused or did not answer an administration command.</summary>
public sealed class BrokerAdministrationException(string message) : Exception(message);
