namespace EdgeSafety.Modbus;

/// <summary>
/// When an RTU server sends its replies. On a pty every reply would leave at memory speed; a simulated bus whose
/// throughput means something holds each reply for the time the transaction takes on a real line, and a device
/// may take time of its own to answer.
/// </summary>
/// <param name="SimulateWireTime">Hold each reply until <see cref="RtuWireTime.Transaction"/> of its request and itself has passed since the request arrived.</param>
/// <param name="ResponseDelay">The device's own time to answer, added to the hold.</param>
public sealed record RtuReplyTiming(bool SimulateWireTime, TimeSpan ResponseDelay)
{
    /// <summary>Replies as soon as they are built: what the binding's own tests use.</summary>
    public static RtuReplyTiming Immediate { get; } = new(SimulateWireTime: false, TimeSpan.Zero);

    internal bool HoldsReplies => SimulateWireTime || ResponseDelay > TimeSpan.Zero;

    internal TimeSpan Hold(SerialLineSettings line, int requestBytes, int replyBytes) =>
        (SimulateWireTime ? RtuWireTime.Transaction(line, requestBytes, replyBytes) : TimeSpan.Zero) + ResponseDelay;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ResponseDelay, TimeSpan.Zero, nameof(ResponseDelay));
    }
}
