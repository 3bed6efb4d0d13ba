using System.ComponentModel.DataAnnotations;
using EdgeSafety.Modbus;

namespace EdgeSafety.Devices;

/// <summary>
/// A serial line as configured (the agent's buses, the simulator's lines): bound from configuration and
/// validated at start, then turned into the Modbus binding's settings.
/// </summary>
public class SerialLineOptions
{
    /// <summary>The name devices refer to.</summary>
    [Required]
    public string Name { get; set; } = string.Empty;

    /// <summary>The serial device, such as /dev/ttyUSB0 (or one end of a socat pty pair).</summary>
    [Required]
    public string DevicePath { get; set; } = string.Empty;

    [Range(1200, 921_600)]
    public int BaudRate { get; set; } = 9600;

    public SerialParity Parity { get; set; } = SerialParity.None;

    [Range(7, 8)]
    public int DataBits { get; set; } = 8;

    [Range(1, 2)]
    public int StopBits { get; set; } = 1;

    public SerialLineSettings ToSettings() => new(DevicePath, BaudRate, Parity, DataBits, StopBits);
}
