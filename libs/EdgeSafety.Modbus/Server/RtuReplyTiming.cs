namespace EdgeSafety.Modbus;

/// <summary>
/// When an RTU server sends its replies. On a pty every reply would leave at memory speed; a simulated bus whose
/// throughput means something holds each reply for the time the transaction takes on a real line, and a device
/// may take time of its own to answer.
/// </summary>
/// <param name="SimulateWireTime">
/// Hold each reply until its last byte would have arrived on a real line: the request, the silence that ends it, and
/// the reply itself, counted from when the request arrived. The silence after the reply is the master's to keep
/// (<see cref="ModbusClient"/> does), so a master that keeps it runs at one <see cref="RtuWireTime.Transaction"/> each.
/// </param>
/// <param name="ResponseDelay">The device's own time to answer, added to the hold.</param>
public sealed record RtuReplyTiming(bool SimulateWireTime, TimeSpan ResponseDelay)
{
    /// <summary>Replies as soon as they are built: what the binding's own tests use.</summary>
    public static RtuReplyTiming Immediate { get; } = new(SimulateWireTime: false, TimeSpan.Zero);

    internal bool HoldsReplies => SimulateWireTime || ResponseDelay > TimeSpan.Zero;

    internal TimeSpan Hold(SerialLineSettings line, int requestBytes, int replyBytes) =>
        (SimulateWireTime ? RtuWireTime.UntilReplyEnds(line, requestBytes, replyBytes) : TimeSpan.Zero) + ResponseDelay;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ResponseDelay, TimeSpan.Zero, nameof(ResponseDelay));
    }
}
