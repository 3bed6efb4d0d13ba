using System.Runtime.InteropServices;

namespace EdgeSafety.Storage.Native;

/// <summary>
/// fsync of a directory, which .NET cannot open as a file: it makes a created, renamed or removed name durable, as
/// fsync of a file makes its contents durable (a new segment or a renamed checkpoint could otherwise vanish in a power cut).
/// </summary>
internal static partial class LibC
{
    // fcntl.h: O_RDONLY is 0 on every Linux architecture. O_DIRECTORY differs between them (x86-64 and arm64), and
    // open(2) opens a directory read-only without it.
    private const int ReadOnly = 0;

    public static void FsyncDirectory(string path)
    {
        var fd = Open(path, ReadOnly);
        if (fd < 0)
        {
            throw Failure("open", path);
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw Failure("fsync", path);
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private static IOException Failure(string call, string path)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call} of the directory {path} failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }

    /// <summary>int open(const char *pathname, int flags) (fcntl.h).</summary>
    [LibraryImport("libc.so.6", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    /// <summary>int fsync(int fd) (unistd.h).</summary>
    [LibraryImport("libc.so.6", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    /// <summary>int close(int fd) (unistd.h).</summary>
    [LibraryImport("libc.so.6", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
