using System.Runtime.InteropServices;

namespace EdgeSafety.Modbus.Native;

/// <summary>
/// poll and read, for the RTU server to frame requests itself (see <see cref="ModbusRtuServer"/>); nanosleep, for the
/// master's inter-frame silence (a fraction of a millisecond above 19200 baud, finer than Thread.Sleep).
/// </summary>
internal static unsafe partial class LibC
{
    /// <summary>int poll(struct pollfd *fds, nfds_t nfds, int timeout); nfds_t is unsigned long (sys/poll.h).</summary>
    [LibraryImport("libc.so.6", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    /// <summary>ssize_t read(int fd, void *buf, size_t count) (unistd.h).</summary>
    [LibraryImport("libc.so.6", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    /// <summary>int nanosleep(const struct timespec *req, struct timespec *rem) (time.h).</summary>
    [LibraryImport("libc.so.6", EntryPoint = "nanosleep", SetLastError = true)]
    public static partial int NanoSleep(TimeSpec* request, TimeSpec* remaining);

    /// <summary>bits/types/struct_timespec.h: struct timespec { __time_t tv_sec; __syscall_slong_t tv_nsec; } (two longs on Linux).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct TimeSpec
    {
        public nint Seconds;
        public nint Nanoseconds;
    }

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
