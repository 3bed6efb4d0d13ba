using System.ComponentModel.DataAnnotations;
using System.Globalization;
using EdgeSafety.Contracts;
using EdgeSafety.Devices;
using EdgeSafety.Modbus;

namespace EdgeSafety.EdgeAgent;

/// <summary>
/// The gateway's site configuration (section "Agent"): who it is, its serial buses and Modbus TCP endpoints, and its
/// devices. From appsettings.json, or from the site configuration file when SiteConfigurationFile is set
/// (<see cref="SiteConfiguration"/>), which can change while the agent runs.
/// </summary>
public sealed class AgentOptions
{
    [Required, RegularExpression(IdPattern, ErrorMessage = IdError)]
    public string SiteId { get; set; } = string.Empty;

    [Required, RegularExpression(IdPattern, ErrorMessage = IdError)]
    public string GatewayId { get; set; } = string.Empty;

    /// <summary>Folder of device profiles; by default the profiles shipped beside the agent.</summary>
    [Required]
    public string ProfilesDirectory { get; set; } = Path.Combine(AppContext.BaseDirectory, "profiles");

    /// <summary>RS-485 serial buses (at least one bus or TCP endpoint is required).</summary>
    [Required]
    public List<BusOptions> Buses { get; set; } = [];

    /// <summary>Modbus TCP endpoints (devices behind an Ethernet gateway, or TCP devices).</summary>
    [Required]
    public List<TcpEndpointOptions> TcpEndpoints { get; set; } = [];

    [Required, MinLength(1)]
    public List<DeviceOptions> Devices { get; set; } = [];

    /// <summary>
    /// Publish readings on the partitioned readings topic (docs/scale-out.md), so that several ingest instances can
    /// share them by partition; false keeps the plain topic, which only the one unpartitioned instance takes.
    /// </summary>
    public bool PartitionedReadings { get; set; }

    /// <summary>Where a device's readings are published: the plain or, with <see cref="PartitionedReadings"/>, the partitioned topic.</summary>
    public string ReadingsTopic(string device) =>
        PartitionedReadings ? Topics.PartitionedReadings(SiteId, GatewayId, device) : Topics.Readings(SiteId, GatewayId, device);

    /// <summary>Every bus devices can name: the serial buses, then the TCP endpoints.</summary>
    public IEnumerable<ModbusBus> AllBuses() =>
        Buses.Select(bus => bus.ToBus()).Concat(TcpEndpoints.Select(endpoint => endpoint.ToBus()));

    internal const string IdPattern = "^[A-Za-z0-9_-]{1,64}$";
    internal const string IdError = "must be 1-64 letters, digits, '-' or '_' (it becomes an MQTT topic segment)";
}

/// <summary>One RS-485 serial bus.</summary>
public sealed class BusOptions : SerialLineOptions
{
    /// <summary>How long to wait for a device's answer before counting a timeout.</summary>
    [Range(20, 10_000)]
    public int ResponseTimeoutMilliseconds { get; set; } = 500;

    /// <summary>
    /// Who switches the RS-485 transceiver between sending and receiving: None for adapters that do it themselves
    /// (most USB adapters); Up or Down to have the agent drive RTS (high or low while sending), on a serial port whose
    /// driver supports RS-485 mode.
    /// </summary>
    /// <remarks>
    /// A string, not the enum: the configuration binder drops a list item whose enum value it cannot convert, so a typo
    /// would silently remove the whole bus instead of being named.
    /// </remarks>
    [RegularExpression("(?i)^(none|up|down)$", ErrorMessage = "must be None, Up or Down")]
    public string Rs485RtsMode { get; set; } = nameof(Modbus.Rs485RtsMode.None);

    /// <summary>Silence kept between two transactions; by default the Modbus 3.5 characters (1.75 ms above 19200 baud).</summary>
    [Range(0.0, 1_000.0)]
    public double? InterFrameGapMilliseconds { get; set; }

    /// <summary>How many times a failed transaction is tried again before the poll counts as failed.</summary>
    [Range(0, 5)]
    public int Retries { get; set; } = 1;

    public ModbusBus ToBus()
    {
        var line = ToSettings();
        var timeout = TimeSpan.FromMilliseconds(ResponseTimeoutMilliseconds);
        var gap = InterFrameGapMilliseconds is { } milliseconds ? TimeSpan.FromMilliseconds(milliseconds) : RtuWireTime.InterFrameSilence(line);
        return new ModbusBus(Name, DevicePath, Retries, line, () => ModbusClient.ConnectRtu(line, timeout, Enum.Parse<Rs485RtsMode>(Rs485RtsMode, ignoreCase: true), gap));
    }
}

/// <summary>One Modbus TCP endpoint: a second kind of bus that devices can name.</summary>
public sealed class TcpEndpointOptions
{
    /// <summary>The name devices refer to (unique among buses and endpoints).</summary>
    [Required]
    public string Name { get; set; } = string.Empty;

    [Required]
    public string Host { get; set; } = string.Empty;

    [Range(1, 65_535)]
    public int Port { get; set; } = 502;

    /// <summary>How long to wait for a device's answer, and for the connection to be made, before counting a timeout.</summary>
    [Range(20, 60_000)]
    public int ResponseTimeoutMilliseconds { get; set; } = 1_000;

    /// <summary>How many times a failed transaction is tried again before the poll counts as failed.</summary>
    [Range(0, 5)]
    public int Retries { get; set; } = 1;

    public ModbusBus ToBus() => new(Name, string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}"), Retries, Line: null,
        () => ModbusClient.ConnectTcp(Host, Port, TimeSpan.FromMilliseconds(ResponseTimeoutMilliseconds)));
}

/// <summary>
/// A bus as the poller and the installer commands use it, whatever its kind: its name, where it is (device path or
/// host:port), the retries of a failed transaction, the serial line (null for TCP: no wire-time limit) and how to open
/// a master on it.
/// </summary>
public sealed record ModbusBus(string Name, string Where, int Retries, SerialLineSettings? Line, Func<ModbusClient> Open);

/// <summary>One device on a bus.</summary>
public sealed class DeviceOptions
{
    [Required, RegularExpression(AgentOptions.IdPattern, ErrorMessage = AgentOptions.IdError)]
    public string Id { get; set; } = string.Empty;

    /// <summary>The name of a serial bus or a TCP endpoint.</summary>
    [Required]
    public string Bus { get; set; } = string.Empty;

    [Range(1, 247)]
    public int UnitId { get; set; }

    [Required]
    public string Profile { get; set; } = string.Empty;

    /// <summary>The room or household unit the device measures, if any.</summary>
    [RegularExpression(AgentOptions.IdPattern, ErrorMessage = AgentOptions.IdError)]
    public string? Unit { get; set; }

    [Range(100, 3_600_000)]
    public int PollIntervalMilliseconds { get; set; } = 1_000;
}
