using System.Diagnostics;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using EdgeSafety.Modbus.Native;
using Microsoft.Win32.SafeHandles;

namespace EdgeSafety.Modbus.Server;

/// <summary>
/// Sends an RTU server's replies when <see cref="RtuReplyTiming"/> says. modbus_reply writes a reply to the context's
/// descriptor itself, and how long the reply is decides how long to hold it; so while a reply is built the descriptor
/// is a pipe, and the reply taken from the pipe is written to the line once its time has come. The registers are read
/// when the request arrives, as a device reads them, and no bank stays locked while a reply waits.
/// </summary>
internal sealed class HeldReplies : IDisposable
{
    private readonly ModbusContextHandle _context;
    private readonly SerialLineSettings _line;
    private readonly RtuReplyTiming _timing;
    private readonly AnonymousPipeServerStream _built = new(PipeDirection.In);
    private readonly FileStream _output;
    private readonly byte[] _reply = new byte[LibModbus.RtuMaxAduLength];

    public HeldReplies(ModbusContextHandle context, SerialLineSettings line, RtuReplyTiming timing)
    {
        _context = context;
        _line = line;
        _timing = timing;
        // The line's descriptor stays libmodbus's to close: written through here, never owned.
        _output = new FileStream(new SafeFileHandle(LibModbus.GetSocket(context), ownsHandle: false), FileAccess.Write, bufferSize: 0);
    }

    /// <summary>
    /// Answers a request for one unit as <see cref="ServedUnits.Answer"/> does, but sends the reply only when the hold
    /// counted from receivedAt (a <see cref="Stopwatch"/> timestamp) is over; nothing is sent if cancelled first.
    /// </summary>
    public unsafe void Answer(ServedUnits units, byte unitId, byte* request, int requestLength, long receivedAt,
        CancellationToken cancellationToken)
    {
        var line = LibModbus.GetSocket(_context);
        NativeSettings.Check(LibModbus.SetSocket(_context, (int)_built.ClientSafePipeHandle.DangerousGetHandle()), "modbus_set_socket");
        try
        {
            units.Answer(_context, unitId, request, requestLength);
        }
        finally
        {
            NativeSettings.Check(LibModbus.SetSocket(_context, line), "modbus_set_socket");
        }

        var replyLength = TakeBuiltReply();
        if (replyLength == 0)
        {
            return; // another device's request: it stays unanswered here
        }

        var hold = _timing.Hold(_line, requestLength, replyLength);
        WaitUntil(receivedAt + (long)(hold.TotalSeconds * Stopwatch.Frequency), cancellationToken);
        if (!cancellationToken.IsCancellationRequested)
        {
            _output.Write(_reply, 0, replyLength);
        }
    }

    public void Dispose()
    {
        _output.Dispose();
        _built.Dispose();
    }

    /// <summary>
    /// Waits until a Stopwatch timestamp. Whole milliseconds are slept (the kernel wakes a thread a fraction of a
    /// millisecond late), the last fraction yielded away, so a reply leaves within microseconds of its time.
    /// </summary>
    private static void WaitUntil(long deadline, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            if (remaining.TotalMilliseconds >= 1)
            {
                cancellationToken.WaitHandle.WaitOne((int)remaining.TotalMilliseconds);
            }
            else
            {
                Thread.Yield();
            }
        }
    }

    /// <summary>
    /// What the reply wrote to the pipe, or 0 if nothing: modbus_reply writes a reply with one write of at most 256
    /// bytes, far below a pipe's capacity, so it is all there once the call has returned.
    /// </summary>
    private unsafe int TakeBuiltReply()
    {
        var poll = new LibC.PollFd { Fd = (int)_built.SafePipeHandle.DangerousGetHandle(), Events = LibC.PollFd.In };
        int ready;
        while ((ready = LibC.Poll(&poll, 1, 0)) == -1)
        {
            var error = Marshal.GetLastPInvokeError();
            if (error != Errno.EINTR)
            {
                throw ModbusException.FromErrno(error, "Taking a built reply from its pipe");
            }
        }

        return ready == 0 ? 0 : _built.Read(_reply);
    }
}
