using System.Diagnostics;
using EdgeSafety.Modbus.Native;
using EdgeSafety.Modbus.Server;

namespace EdgeSafety.Modbus;

/// <summary>
/// Modbus RTU slave side of one serial line, answering for several unit ids, as the devices of an RS-485 bus do.
/// </summary>
/// <remarks>
/// libmodbus 3.1.6 serves one unit id per context: its RTU receive drops a request for another unit before checking
/// its CRC, and then reads the next frame on the line as that unit's reply and discards it ("confirmation to
/// ignore"), which swallows and mis-frames the master's next request. So this server frames requests itself: it reads
/// the line (the descriptor libmodbus opened and configured), ends a request at the length its function code gives
/// (or, for an unknown function, at a silence), checks the CRC, and hands the request to modbus_reply with the
/// addressed unit's register bank. modbus_reply answers with the request's unit id, whatever the context's.
/// A simulated bus can hold every reply for the transaction's time on a real line (<see cref="RtuReplyTiming"/>).
/// </remarks>
public sealed class ModbusRtuServer : IDisposable
{
    /// <summary>How long the loop waits for a request before it looks at its cancellation token.</summary>
    private static readonly int IndicationMilliseconds = (int)ServerContext.Indication.TotalMilliseconds;

    /// <summary>
    /// A gap this long ends a request of unknown length, abandons an incomplete one, and ends the discarding of a
    /// rejected one. Far above 3.5 characters at any baud rate from 1200, and above a USB adapter's latency timer.
    /// </summary>
    private const int SilenceMilliseconds = 50;

    private readonly ModbusContextHandle _context;
    private readonly SerialInput _input;
    private readonly ServerThread _thread;

    /// <summary>Null when replies go out as soon as they are built.</summary>
    private readonly HeldReplies? _heldReplies;

    private ModbusRtuServer(ModbusContextHandle context, SerialLineSettings line, RtuReplyTiming timing)
    {
        _context = context;
        Device = line.DevicePath;
        _input = new SerialInput(context, Device);
        _thread = new ServerThread($"Modbus RTU server {Device}", new ServedUnits(1, 247), Serve);
        _heldReplies = timing.HoldsReplies ? new HeldReplies(context, line, timing) : null;
    }

    public string Device { get; }

    /// <summary>Requests answered for one of this server's units (an exception reply included).</summary>
    public long RequestsServed => _thread.Units.Served;

    /// <summary>Frames dropped as not a valid request: bad CRC, wrong length, garbage.</summary>
    public long RequestsRejected => _thread.Units.Rejected;

    /// <summary>Valid requests for a unit id this server does not serve (another device's): left unanswered.</summary>
    public long RequestsIgnored => _thread.Units.Ignored;

    /// <summary>
    /// Opens the line. By default replies leave as soon as they are built; a simulated bus passes a
    /// <see cref="RtuReplyTiming"/> that holds them for their time on a real line.
    /// </summary>
    public static ModbusRtuServer Open(SerialLineSettings line, RtuReplyTiming? timing = null)
    {
        ArgumentNullException.ThrowIfNull(line);
        line.Validate();
        timing ??= RtuReplyTiming.Immediate;
        timing.Validate();
        var context = ContextSetup.Prepare(
            LibModbus.NewRtu(line.DevicePath, line.BaudRate, line.ParityCharacter, line.DataBits, line.StopBits),
            line.DevicePath, ServerContext.Configure, connect: true);
        try
        {
            return new ModbusRtuServer(context, line, timing);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>Serves bank as unit unitId (1..247). Before RunAsync.</summary>
    public void Add(byte unitId, RegisterBank bank) => _thread.Units.Add(unitId, bank);

    /// <summary>
    /// Serves on a dedicated thread until cancelled; the task then ends as cancelled. Bad input never ends it (it is
    /// counted); it faults only if the line itself fails or hangs up.
    /// </summary>
    public Task RunAsync(CancellationToken cancellationToken) => _thread.Start(cancellationToken);

    public void Dispose()
    {
        _thread.Dispose();
        _heldReplies?.Dispose();
        _context.Dispose();
    }

    private void Serve(CancellationToken cancellationToken)
    {
        var frame = new byte[LibModbus.RtuMaxAduLength];
        while (!cancellationToken.IsCancellationRequested)
        {
            var length = ReceiveFrame(frame);
            if (length > 0)
            {
                Dispatch(frame, length, Stopwatch.GetTimestamp(), cancellationToken);
            }
        }
    }

    /// <summary>The next frame on the line, or 0 if none started within the indication time.</summary>
    private int ReceiveFrame(Span<byte> frame)
    {
        if (_input.Read(frame[..1], IndicationMilliseconds) == 0)
        {
            return 0;
        }

        var length = 1;
        while (true)
        {
            var wanted = Math.Min(RtuFrames.RequestLength(frame[..length]) ?? frame.Length, frame.Length) - length;
            if (wanted <= 0)
            {
                return length;
            }

            var read = _input.Read(frame.Slice(length, wanted), SilenceMilliseconds);
            if (read == 0)
            {
                return length;
            }

            length += read;
        }
    }

    /// <summary>Answers a request that arrived (was complete) at receivedAt, a <see cref="Stopwatch"/> timestamp.</summary>
    private unsafe void Dispatch(byte[] frame, int length, long receivedAt, CancellationToken cancellationToken)
    {
        if (!RtuFrames.IsValidRequest(frame.AsSpan(0, length)))
        {
            // Out of step with the line: discard until it falls silent, then count it, so that a master which sees
            // the count go up may send again at once.
            DiscardUntilSilence(cancellationToken);
            _thread.Units.CountRejected();
            return;
        }

        fixed (byte* request = frame)
        {
            if (frame[0] == LibModbus.BroadcastAddress)
            {
                _thread.Units.AnswerBroadcast(_context, request, length);
            }
            else if (_heldReplies is null)
            {
                _thread.Units.Answer(_context, frame[0], request, length);
            }
            else
            {
                _heldReplies.Answer(_thread.Units, frame[0], request, length, receivedAt, cancellationToken);
            }
        }
    }

    private void DiscardUntilSilence(CancellationToken cancellationToken)
    {
        Span<byte> discarded = stackalloc byte[64];
        while (!cancellationToken.IsCancellationRequested && _input.Read(discarded, SilenceMilliseconds) > 0)
        {
        }
    }
}
