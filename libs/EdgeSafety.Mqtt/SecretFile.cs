namespace EdgeSafety.Mqtt;

/// <summary>
/// Secrets (a gateway's broker password, a service's password) kept in a file only its owner can read. A file that
/// its group or anyone else may read or write is refused, as ssh refuses such a private key: the secret may already
/// be known to others, and saying so at start beats a silent leak.
/// </summary>
public static class SecretFile
{
    private const UnixFileMode NotOwner = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>The secret (the file's text without a trailing line break), or a <see cref="SecretFileException"/> saying what is wrong.</summary>
    public static string Read(string path)
    {
        if (Problem(path) is { } problem)
        {
            throw new SecretFileException(problem);
        }

        var secret = File.ReadAllText(path).TrimEnd('\r', '\n');
        return secret.Length > 0 ? secret : throw new SecretFileException($"Secret file '{path}' is empty.");
    }

    /// <summary>Null when the file exists, is owner-only and can be read; else why not (naming the file, never its content).</summary>
    public static string? Problem(string path)
    {
        try
        {
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & NotOwner) != 0)
            {
                return $"Secret file '{path}' is readable or writable by others than its owner; make it owner-only: chmod 600 '{path}'.";
            }

            using var file = File.OpenRead(path);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return $"Secret file '{path}' cannot be read: {ex.Message}";
        }
    }

    /// <summary>
    /// Null when the folder of secrets is owner-only (or does not exist yet: <see cref="CreateFolder"/> makes it so);
    /// else why not, with the fix. Its group or others could list it, or put and replace files in it.
    /// </summary>
    public static string? FolderProblem(string path) =>
        !OperatingSystem.IsWindows() && Directory.Exists(path) && (File.GetUnixFileMode(path) & NotOwner) != 0
            ? $"Secret folder '{path}' is open to others than its owner; make it owner-only: chmod 700 '{path}'."
            : null;

    /// <summary>Creates a folder for secrets owner-only (0700) from the start; an existing folder is left as it is.</summary>
    public static DirectoryInfo CreateFolder(string path) =>
        OperatingSystem.IsWindows()
            ? Directory.CreateDirectory(path)
            : Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

    /// <summary>Writes the secret to a new file created owner-only (0600) from the start, then renames it over <paramref name="path"/>.</summary>
    public static void Write(string path, string secret)
    {
        var temporary = path + ".new";
        File.Delete(temporary);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        // No byte order mark: the file is read by other tools too (mosquitto_sub -P "$(cat file)").
        using (var file = new StreamWriter(temporary, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), options))
        {
            file.Write(secret);
            file.Write('\n');
        }

        File.Move(temporary, path, overwrite: true);
    }
}

/// <summary>A secret file that is missing, empty or not owner-only.</summary>
public sealed class SecretFileException(string message) : Exception(message);
