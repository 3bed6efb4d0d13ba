using System.Runtime.InteropServices;

namespace EdgeSafety.Modbus.Native;

/// <summary>poll and read, for the RTU server to frame requests itself (see <see cref="ModbusRtuServer"/>).</summary>
internal static unsafe partial class LibC
{
    /// <summary>int poll(struct pollfd *fds, nfds_t nfds, int timeout); nfds_t is unsigned long (sys/poll.h).</summary>
    [LibraryImport("libc.so.6", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    /// <summary>ssize_t read(int fd, void *buf, size_t count) (unistd.h).</summary>
    [LibraryImport("libc.so.6", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    /// <summary>sys/poll.h: struct pollfd { int fd; short int events; short int revents; }.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        // bits/poll.h: POLLIN 0x001 (data to read), POLLERR 0x008, POLLHUP 0x010, POLLNVAL 0x020.
        public const short In = 0x001;

        public int Fd;
        public short Events;
        public short Revents;
    }
}
