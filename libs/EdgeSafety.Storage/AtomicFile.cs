using EdgeSafety.Storage.Native;

namespace EdgeSafety.Storage;

/// <summary>
/// Replaces a file so that after a crash or a power cut it holds the old contents or the new, never a mix or nothing:
/// write a temporary file beside it, fsync it, rename it over the file, fsync the folder.
/// </summary>
public static class AtomicFile
{
    /// <summary>The temporary file <see cref="Replace"/> writes first; a crash may leave it behind.</summary>
    public static string TemporaryPath(string path) => path + ".tmp";

    public static void Replace(string path, ReadOnlySpan<byte> contents)
    {
        var temporary = TemporaryPath(path);
        using (var file = File.OpenHandle(temporary, FileMode.Create, FileAccess.Write))
        {
            RandomAccess.Write(file, contents, 0);
            RandomAccess.FlushToDisk(file);
        }

        File.Move(temporary, path, overwrite: true);
        LibC.FsyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }
}
