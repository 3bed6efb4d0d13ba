namespace EdgeSafety.EdgeAgent.Tests;

/// <summary>Small shell scripts standing in for a warning player (aplay, espeak-ng): they write down how they were called.</summary>
internal static class PlayerScript
{
    /// <summary>Appends each argument it gets to <paramref name="playedFile"/>, one per line, then "---"; exits with the code.</summary>
    public static string RecordingArguments(string path, string playedFile, int exitCode = 0) =>
        Write(path, $"for a in \"$@\"; do printf '%s\\n' \"$a\"; done >> '{playedFile}'\necho --- >> '{playedFile}'\n"
            + (exitCode == 0 ? "" : $"echo 'speaker not found' >&2\nexit {exitCode}\n"));

    public static string Write(string path, string body)
    {
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }
}
