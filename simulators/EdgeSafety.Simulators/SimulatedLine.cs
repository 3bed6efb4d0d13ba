using System.ComponentModel.DataAnnotations;
using EdgeSafety.Devices;
using EdgeSafety.Modbus;

namespace EdgeSafety.Simulators;

/// <summary>
/// A serial line the simulator serves, with how its devices pace their replies: a pty carries bytes at memory speed,
/// so without SimulateWireTime a bus is as fast as the machine, whatever its baud rate.
/// </summary>
public sealed class SimulatedLine : SerialLineOptions
{
    /// <summary>Hold every reply until the transaction would have crossed a real line at BaudRate.</summary>
    public bool SimulateWireTime { get; set; }

    /// <summary>How long every device on the line takes to answer, on top of the wire time.</summary>
    [Range(0, 10_000)]
    public int ResponseDelayMilliseconds { get; set; }

    public RtuReplyTiming ToReplyTiming() => new(SimulateWireTime, TimeSpan.FromMilliseconds(ResponseDelayMilliseconds));
}
