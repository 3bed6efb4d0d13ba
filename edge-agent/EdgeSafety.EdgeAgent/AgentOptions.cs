using System.ComponentModel.DataAnnotations;
using EdgeSafety.Devices;

namespace EdgeSafety.EdgeAgent;

/// <summary>The gateway's site configuration (section "Agent"): who it is, its buses and its devices.</summary>
public sealed class AgentOptions
{
    [Required, RegularExpression(IdPattern, ErrorMessage = IdError)]
    public string SiteId { get; set; } = string.Empty;

    [Required, RegularExpression(IdPattern, ErrorMessage = IdError)]
    public string GatewayId { get; set; } = string.Empty;

    /// <summary>Folder of device profiles; by default the profiles shipped beside the agent.</summary>
    [Required]
    public string ProfilesDirectory { get; set; } = Path.Combine(AppContext.BaseDirectory, "profiles");

    [Required, MinLength(1)]
    public List<BusOptions> Buses { get; set; } = [];

    [Required, MinLength(1)]
    public List<DeviceOptions> Devices { get; set; } = [];

    internal const string IdPattern = "^[A-Za-z0-9_-]{1,64}$";
    internal const string IdError = "must be 1-64 letters, digits, '-' or '_' (it becomes an MQTT topic segment)";
}

/// <summary>One RS-485 serial bus.</summary>
public sealed class BusOptions : SerialLineOptions
{
    /// <summary>How long to wait for a device's answer before counting a timeout.</summary>
    [Range(20, 10_000)]
    public int ResponseTimeoutMilliseconds { get; set; } = 500;
}

/// <summary>One device on a bus.</summary>
public sealed class DeviceOptions
{
    [Required, RegularExpression(AgentOptions.IdPattern, ErrorMessage = AgentOptions.IdError)]
    public string Id { get; set; } = string.Empty;

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
