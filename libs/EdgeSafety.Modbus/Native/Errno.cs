namespace EdgeSafety.Modbus.Native;

/// <summary>The errno values this library tells apart (Linux, x86_64 and arm64 alike).</summary>
internal static class Errno
{
    // asm-generic/errno-base.h
    public const int EINTR = 4;
    public const int EIO = 5;
    public const int EBADF = 9;
    public const int EAGAIN = 11;
    public const int EPIPE = 32;

    // asm-generic/errno.h
    public const int ENOPROTOOPT = 92;
    public const int ECONNRESET = 104;
    public const int ENOTCONN = 107;
    public const int ETIMEDOUT = 110;
    public const int ECONNREFUSED = 111;
}
