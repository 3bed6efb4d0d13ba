using System.Diagnostics;
using System.Globalization;
using System.Text;
using EdgeSafety.Contracts;
using EdgeSafety.Devices;
using EdgeSafety.Modbus;
using EdgeSafety.Mqtt;
using Microsoft.Extensions.Options;

namespace EdgeSafety.EdgeAgent.Installer;

/// <summary>
/// The installer's proof that the chain works before leaving the site: every configured device is polled once
/// through its profile, and a test message makes the round trip through the broker. Prints a pass/fail table.
/// </summary>
public static class InstallationCheck
{
    private static readonly TimeSpan BrokerTimeout = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(SiteContext site, TextWriter output, CancellationToken cancellationToken)
    {
        var agent = site.Agent;
        var profiles = site.Services.GetRequiredService<DeviceProfiles>();
        var table = new TextTable("CHECK", "WHERE", "RESULT", "DETAIL");
        var failures = 0;

        foreach (var bus in agent.AllBuses())
        {
            var devices = agent.Devices.Where(d => d.Bus == bus.Name).ToList();
            ModbusClient client;
            try
            {
                client = bus.Open();
            }
            catch (ModbusException ex)
            {
                failures += devices.Count;
                devices.ForEach(d => table.Add(d.Id, Where(bus, d), "FAIL", $"cannot open the port: {ex.Message}"));
                continue;
            }

            using (client)
            {
                foreach (var device in devices)
                {
                    var profile = profiles[device.Profile];
                    try
                    {
                        var values = DeviceReader.Read(client, (byte)device.UnitId, ReadPlan.For(profile));
                        table.Add(device.Id, Where(bus, device), "PASS", Summary(profile, values));
                    }
                    catch (ModbusException ex)
                    {
                        failures++;
                        table.Add(device.Id, Where(bus, device), "FAIL", ex.Message);
                    }
                }
            }
        }

        var mqtt = site.Services.GetRequiredService<IOptions<MqttClientOptions>>().Value;
        var (brokerPassed, brokerDetail) = await BrokerRoundTripAsync(agent, mqtt, site.Services.GetRequiredService<ILogger<MqttClient>>(), cancellationToken);
        failures += brokerPassed ? 0 : 1;
        table.Add("broker", $"{mqtt.Host}:{mqtt.Port}", brokerPassed ? "PASS" : "FAIL", brokerDetail);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"EdgeSafety installation check: site {agent.SiteId}, gateway {agent.GatewayId}, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss} UTC"));
        table.WriteTo(output);
        output.WriteLine(failures == 0
            ? "RESULT: PASS"
            : string.Create(CultureInfo.InvariantCulture, $"RESULT: FAIL ({failures} of {agent.Devices.Count + 1} checks failed)"));
        return failures == 0 ? 0 : 1;
    }

    /// <summary>Publishes a nonce on the gateway's check topic and waits for it to come back through the broker.</summary>
    private static async Task<(bool Passed, string Detail)> BrokerRoundTripAsync(AgentOptions agent, MqttClientOptions configured,
        ILogger<MqttClient> logger, CancellationToken cancellationToken)
    {
        // Its own client id: borrowing the service's would disconnect the running agent.
        var options = new MqttClientOptions
        {
            Host = configured.Host,
            Port = configured.Port,
            Username = configured.Username,
            Password = configured.Password,
            ClientId = $"{agent.GatewayId}-check-{Guid.NewGuid():N}"[..23],
            CleanSession = true,
        };
        var topic = Topics.Check(agent.SiteId, agent.GatewayId);
        var nonce = Guid.NewGuid().ToString("N");
        var cameBack = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var client = new MqttClient(options, logger);
        client.MessageReceived = message =>
        {
            if (message.Topic == topic && Encoding.UTF8.GetString(message.Payload) == nonce)
            {
                cameBack.TrySetResult();
            }
        };

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(BrokerTimeout);
        try
        {
            await client.ConnectAsync(timeout.Token);
            await client.SubscribeAsync(topic, MqttQos.AtLeastOnce, timeout.Token);
            var clock = Stopwatch.StartNew();
            await client.PublishAsync(topic, Encoding.UTF8.GetBytes(nonce), MqttQos.AtLeastOnce, cancellationToken: timeout.Token);
            await cameBack.Task.WaitAsync(timeout.Token);
            return (true, string.Create(CultureInfo.InvariantCulture, $"test message came back in {clock.ElapsedMilliseconds} ms"));
        }
        catch (MqttException ex)
        {
            return (false, ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, string.Create(CultureInfo.InvariantCulture, $"no answer within {BrokerTimeout.TotalSeconds:0} s (broker down or unreachable?)"));
        }
    }

    private static string Where(ModbusBus bus, DeviceOptions device) =>
        string.Create(CultureInfo.InvariantCulture, $"{bus.Name} unit {device.UnitId}");

    /// <summary>The first few values, enough to see that the numbers are plausible (230 V, not 0 or 6.2e-41).</summary>
    private static string Summary(DeviceProfile profile, Dictionary<string, double> values) =>
        string.Join(" ", profile.Values.Take(4).Select(v => string.Create(CultureInfo.InvariantCulture, $"{v.Name}={values[v.Name]:0.##}")));
}
