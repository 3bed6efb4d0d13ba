namespace EdgeSafety.Modbus;

/// <summary>
/// How long Modbus RTU frames take on a real serial line (Modbus over Serial Line V1.02, 2.5.1 and 2.5.1.1). A pty
/// carries bytes at memory speed whatever its settings, so these figures are what a simulated device holds its
/// replies for, and what bus throughput is measured against.
/// </summary>
public static class RtuWireTime
{
    /// <summary>
    /// Above this rate the spec fixes the inter-frame silence at 1.75 ms instead of 3.5 characters, so that a device
    /// need not time sub-millisecond gaps.
    /// </summary>
    private const int FixedSilenceAboveBaud = 19_200;

    private static readonly TimeSpan FixedSilence = TimeSpan.FromMilliseconds(1.75);

    /// <summary>A start bit, the data bits, a parity bit unless parity is none, and the stop bits.</summary>
    public static int BitsPerCharacter(SerialLineSettings line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return 1 + line.DataBits + (line.Parity == SerialParity.None ? 0 : 1) + line.StopBits;
    }

    /// <summary>The silence that ends every frame: 3.5 characters, or 1.75 ms above 19200 baud.</summary>
    public static TimeSpan InterFrameSilence(SerialLineSettings line) =>
        line.BaudRate > FixedSilenceAboveBaud ? FixedSilence : Characters(line, 3.5);

    /// <summary>
    /// One transaction, from the first bit of the request to the earliest moment the next request may start: the
    /// request, the silence that ends it (the device answers only after it), the reply, and the silence that ends the reply.
    /// </summary>
    public static TimeSpan Transaction(SerialLineSettings line, int requestBytes, int replyBytes) =>
        Characters(line, requestBytes + replyBytes) + (2 * InterFrameSilence(line));

    /// <summary>
    /// One read of <paramref name="registers"/> holding or input registers as a <see cref="Transaction"/>: the request is
    /// unit, function, address (2), count (2) and CRC (2); the reply unit, function, byte count, the registers and CRC (2).
    /// </summary>
    public static TimeSpan ReadRegisters(SerialLineSettings line, int registers) =>
        Transaction(line, ReadRequestBytes, ReadReplyBytes(registers));

    /// <summary>A read request that got no reply: the request and the silences around it.</summary>
    public static TimeSpan UnansweredRead(SerialLineSettings line) => Transaction(line, ReadRequestBytes, 0);

    /// <summary>From the first bit of a request until the last bit of its reply: what a device's reply lags the request by.</summary>
    internal static TimeSpan UntilReplyEnds(SerialLineSettings line, int requestBytes, int replyBytes) =>
        Transaction(line, requestBytes, replyBytes) - InterFrameSilence(line);

    private const int ReadRequestBytes = 8;

    private static int ReadReplyBytes(int registers) => 5 + (2 * registers);

    private static TimeSpan Characters(SerialLineSettings line, double count) =>
        TimeSpan.FromSeconds(count * BitsPerCharacter(line) / line.BaudRate);
}
