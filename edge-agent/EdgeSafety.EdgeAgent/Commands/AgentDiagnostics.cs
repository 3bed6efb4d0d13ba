using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using EdgeSafety.Mqtt;

namespace EdgeSafety.EdgeAgent.Commands;

/// <summary>
/// The diagnostics command's answer: what an operator asks a gateway before sending someone on site. Everything is read
/// from where the agent keeps it (the running site configuration, the bus figures, the store, the broker client).
/// </summary>
public sealed class AgentDiagnostics(SiteConfiguration site, DeviceStatuses devices, AgentMetrics metrics, Outbox outbox, MqttClient mqtt,
    TimeProvider time)
{
    private static readonly DateTimeOffset Started = Process.GetCurrentProcess().StartTime.ToUniversalTime();

    private static readonly string Version =
        typeof(AgentDiagnostics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public JsonElement Collect()
    {
        var configuration = site.Current;
        var now = time.GetUtcNow();
        var states = devices.Snapshot().ToDictionary(d => d.Device, StringComparer.Ordinal);
        return JsonSerializer.SerializeToElement(new
        {
            version = Version,
            started = Started.UtcDateTime,
            uptime_seconds = Math.Round((now - Started).TotalSeconds),
            site = configuration.SiteId,
            gateway = configuration.GatewayId,
            mqtt = new { connected = mqtt.IsConnected, inflight = mqtt.InflightCount },
            store = new { records = outbox.Count, bytes = outbox.SizeBytes },
            buses = configuration.Buses.Select(bus => new
            {
                name = bus.Name,
                device_path = bus.DevicePath,
                baud_rate = bus.BaudRate,
                transactions = metrics.Transactions.ValueOf(bus.Name),
                timeouts = metrics.Timeouts.ValueOf(bus.Name),
                crc_errors = metrics.CrcErrors.ValueOf(bus.Name),
                retries = metrics.Retries.ValueOf(bus.Name),
            }),
            devices = configuration.Devices.Select(device => new
            {
                id = device.Id,
                bus = device.Bus,
                unit_id = device.UnitId,
                profile = device.Profile,
                unit = device.Unit,
                poll_interval_ms = device.PollIntervalMilliseconds,
                state = states.GetValueOrDefault(device.Id) switch
                {
                    null or { Answering: null } => "not polled yet",
                    { BackedOff: true } => "backed off",
                    { Answering: true } => "answering",
                    _ => "not answering",
                },
                last_reading = states.GetValueOrDefault(device.Id)?.LastReadingAt?.UtcDateTime,
            }),
        });
    }
}
