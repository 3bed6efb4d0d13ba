using System.Collections.Concurrent;
using System.Text.Json;
using EdgeSafety.Contracts;
using EdgeSafety.Devices;
using EdgeSafety.Modbus;
using EdgeSafety.Mqtt;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Interop.Tests;

/// <summary>
/// Our master reads devices served by Debian's python3-pymodbus 3.0, a Modbus slave nobody here wrote, which encodes
/// the values itself from the shipped profiles (pymodbus_profile_slave.py): every read of each profile's read plan
/// must decode to the values the slave was given; and the agent itself, run as its own process, publishes those values
/// to a real mosquitto.
/// </summary>
public sealed class PymodbusSlaveTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    // Debian's interpreter, where python3-pymodbus is installed (a python3 earlier on PATH, from pyenv say, lacks it).
    private const string DebianPython = "/usr/bin/python3";

    // Values a float32 holds exactly, so that the decoded doubles compare equal; signed ones where the meter signs them.
    private static readonly Dictionary<string, double> Meter = new()
    {
        ["voltage_v"] = 229.5, ["current_a"] = 0.75, ["power_w"] = -86.0, ["apparent_va"] = 172.125, ["reactive_var"] = -120.5,
        ["power_factor"] = -0.5, ["frequency_hz"] = 49.984375, ["energy_kwh"] = 1234.5,
    };

    private static readonly Dictionary<string, (byte UnitId, Dictionary<string, double> Values)> Devices = new()
    {
        ["eastron-sdm120"] = (1, Meter),
        ["eastron-sdm630"] = (2, new(Meter) { ["thd_i_pct"] = 20.5 }),
        ["harmonic-meter"] = (3, HarmonicMeter()),
        ["noise-sensor-hr0"] = (10, new() { ["db_a"] = 61.8 }),
        ["noise-sensor-hr14"] = (11, new() { ["db_a"] = 45.3 }),
    };

    private readonly TemporaryDirectory _directory = new("pymodbus");
    private SerialLinePair _line = null!;
    private ExternalProcess _slave = null!;

    public async Task InitializeAsync()
    {
        _line = await SerialLinePair.StartAsync();
        var devices = _directory.Combine("devices.json");
        await File.WriteAllTextAsync(devices, JsonSerializer.Serialize(Devices.Select(d => new
        {
            unit = d.Value.UnitId,
            profile = ProfilePath(d.Key),
            values = d.Value.Values,
        })));
        _slave = ExternalProcess.Start("pymodbus slave", DebianPython,
            [RepositoryPaths.File("tests", "EdgeSafety.Interop.Tests", "pymodbus_profile_slave.py"), _line.SlavePath, devices]);
        await _slave.WaitForOutputAsync("serving", Bound);
    }

    public Task DisposeAsync()
    {
        _slave.Dispose();
        _line.Dispose();
        _directory.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void The_slave_is_pymodbus_3()
    {
        _slave.Output.Should().Contain("with pymodbus 3.");
    }

    [Theory]
    [InlineData("eastron-sdm120")]
    [InlineData("eastron-sdm630")]
    [InlineData("harmonic-meter")]
    [InlineData("noise-sensor-hr0")]
    [InlineData("noise-sensor-hr14")]
    public void Every_value_of_a_profile_read_through_its_read_plan_is_the_value_served(string model)
    {
        var profile = DeviceProfileLoader.LoadFile(ProfilePath(model));
        var (unitId, served) = Devices[model];
        using var master = ModbusClient.ConnectRtu(new SerialLineSettings(_line.MasterPath), TimeSpan.FromSeconds(2));
        var registers = new ushort[ReadPlan.MaxRegistersPerRead];
        var values = new Dictionary<string, double>();

        foreach (var block in ReadPlan.For(profile))
        {
            master.ReadRegisters(unitId, block.Table, block.Address, registers.AsSpan(0, block.Count));
            ReadPlan.Decode(block, registers.AsSpan(0, block.Count), values);
        }

        values.Keys.Should().BeEquivalentTo(served.Keys);
        foreach (var (name, value) in served)
        {
            values[name].Should().BeApproximately(value, 1e-9, name);
        }
    }

    [Fact]
    public async Task The_agent_process_publishes_the_values_a_pymodbus_slave_serves()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var received = new ConcurrentDictionary<string, Reading>();
        var log = new RecordingLogger<MqttClient>();
        await using var subscriber = new MqttClient(new MqttClientOptions { Port = broker.Port, ClientId = "interop-subscriber" }, log)
        {
            MessageReceived = message =>
            {
                if (ReadingCodec.TryParse(message.Topic, message.Payload, DateTimeOffset.UtcNow, out _, out var reading, out _))
                {
                    received.TryAdd(reading!.Device, reading);
                }
            },
        };
        await subscriber.ConnectAsync(CancellationToken.None);
        await subscriber.SubscribeAsync(Topics.AllReadings, MqttQos.AtLeastOnce);
        // Every profile as one device of the agent's bus, named after its profile.
        var devices = Devices.Select((device, i) => new[]
        {
            $"--Agent:Devices:{i}:Id={device.Key}", $"--Agent:Devices:{i}:Bus=bus1", $"--Agent:Devices:{i}:UnitId={device.Value.UnitId}",
            $"--Agent:Devices:{i}:Profile={device.Key}",
        }).SelectMany(settings => settings);

        using var agent = ServiceProcess.Start("EdgeSafety.EdgeAgent", LoopbackPort.Next(),
            [$"--Mqtt:Port={broker.Port}", $"--Agent:Buses:0:DevicePath={_line.MasterPath}", "--Agent:Buses:0:ResponseTimeoutMilliseconds=2000", .. devices]);

        await Eventually.SucceedsAsync(() =>
        {
            agent.ThrowIfExited();
            received.Keys.Should().BeEquivalentTo(Devices.Keys);
        }, TimeSpan.FromSeconds(60), "a reading of every device");
        foreach (var (model, (_, served)) in Devices)
        {
            received[model].Profile.Should().Be(model);
            received[model].Values.Keys.Should().BeEquivalentTo(served.Keys);
            foreach (var (name, value) in served)
            {
                received[model].Values[name].Should().BeApproximately(value, 1e-9, $"{model} {name}");
            }
        }

        log.ShouldHaveNoErrors();
    }

    private static Dictionary<string, double> HarmonicMeter()
    {
        var values = new Dictionary<string, double>(Meter) { ["thd_i_pct"] = 31.25 };
        for (var order = 2; order <= 31; order++)
        {
            values[$"h{order}_pct"] = order * 0.5;
        }

        return values;
    }

    private static string ProfilePath(string model) => RepositoryPaths.File("edge-agent", "profiles", model + ".json");
}
