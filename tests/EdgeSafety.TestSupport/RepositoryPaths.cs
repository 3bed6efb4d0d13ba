namespace EdgeSafety.TestSupport;

/// <summary>Locates files of this repository from a running test, so tests use what the project ships.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string File(params string[] relative) => Path.Combine([Root, .. relative]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "EdgeSafety.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"EdgeSafety.sln not found above {AppContext.BaseDirectory}.");
    }
}
