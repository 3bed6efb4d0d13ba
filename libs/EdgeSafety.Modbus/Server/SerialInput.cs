using System.Diagnostics;
using System.Runtime.InteropServices;
using EdgeSafety.Modbus.Native;

namespace EdgeSafety.Modbus.Server;

/// <summary>
/// Reads the bytes arriving on an RTU context's serial line (the descriptor libmodbus opened and configured) with
/// a timeout, through poll and read.
/// </summary>
internal sealed class SerialInput(ModbusContextHandle context, string device)
{
    /// <summary>
    /// Up to buffer.Length bytes that have arrived, waiting at most timeoutMilliseconds for the first: 0 if none came.
    /// Throws if the line hung up (the other end of a pty closed, a USB adapter unplugged) or failed.
    /// </summary>
    public unsafe int Read(Span<byte> buffer, int timeoutMilliseconds)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var remaining = timeoutMilliseconds - (int)waited.ElapsedMilliseconds;
            if (remaining <= 0)
            {
                return 0;
            }

            var descriptor = LibModbus.GetSocket(context);
            var poll = new LibC.PollFd { Fd = descriptor, Events = LibC.PollFd.In };
            var ready = LibC.Poll(&poll, 1, remaining);
            if (ready == -1)
            {
                var error = Marshal.GetLastPInvokeError();
                if (error == Errno.EINTR)
                {
                    continue;
                }

                throw ModbusException.FromErrno(error, $"Waiting for requests on {device}");
            }

            if (ready == 0)
            {
                return 0;
            }

            if ((poll.Revents & LibC.PollFd.In) == 0)
            {
                throw new ModbusException(ModbusErrorKind.ConnectionFailed, Errno.EIO, null,
                    $"The serial line {device} hung up or failed (poll revents 0x{poll.Revents:x}).");
            }

            nint count;
            fixed (byte* destination = buffer)
            {
                count = LibC.Read(descriptor, destination, (nuint)buffer.Length);
            }

            if (count > 0)
            {
                return (int)count;
            }

            var readError = count == 0 ? Errno.EIO : Marshal.GetLastPInvokeError();
            if (readError is Errno.EINTR or Errno.EAGAIN)
            {
                continue;
            }

            throw ModbusException.FromErrno(readError, $"Reading requests on {device}", ModbusErrorKind.ConnectionFailed);
        }
    }
}
