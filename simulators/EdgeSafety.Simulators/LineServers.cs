using EdgeSafety.Modbus;
using Microsoft.Extensions.Options;

namespace EdgeSafety.Simulators;

/// <summary>Serves each simulated serial line as a Modbus RTU bus, every device on it answering to its unit id, and moves the models on.</summary>
public sealed partial class LineServers(
    IOptions<SimulatorOptions> options,
    SimulatedInstallation installation,
    ILogger<LineServers> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var servers = new List<ModbusRtuServer>();
        try
        {
            var running = new List<Task>();
            foreach (var line in settings.Lines)
            {
                var server = ModbusRtuServer.Open(line.ToSettings(), line.ToReplyTiming());
                servers.Add(server);
                LogLine(line.DevicePath, line.BaudRate, line.SimulateWireTime, line.ResponseDelayMilliseconds);
                foreach (var device in installation.Devices.Values.Where(d => d.Settings.Line == line.Name))
                {
                    server.Add((byte)device.Settings.UnitId, device.Registers);
                    LogServing(device.Settings.Name, device.Profile.Model, line.DevicePath, device.Settings.UnitId);
                }

                running.Add(server.RunAsync(stoppingToken));
            }

            running.Add(MoveModelsAsync(TimeSpan.FromMilliseconds(settings.UpdateIntervalMilliseconds), stoppingToken));
            await Task.WhenAll(running);
        }
        finally
        {
            foreach (var server in servers)
            {
                server.Dispose();
            }
        }
    }

    private async Task MoveModelsAsync(TimeSpan interval, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                foreach (var device in installation.Devices.Values)
                {
                    device.Step(interval);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Serving {Device} ({Profile}) on {Path} as unit {UnitId}")]
    private partial void LogServing(string device, string profile, string path, int unitId);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information,
        Message = "Serving {Path} at {BaudRate} baud, wire time simulated: {SimulateWireTime}, response delay {ResponseDelayMilliseconds} ms")]
    private partial void LogLine(string path, int baudRate, bool simulateWireTime, int responseDelayMilliseconds);
}
