using System.Reflection;

namespace EdgeSafety.TestSupport;

/// <summary>Locates files of this repository from a running test, so tests use what the project ships.</summary>
public static class RepositoryPaths
{
    /// <summary>The repository root, recorded at build time (tests may be built to any artifacts folder).</summary>
    public static string Root { get; } = typeof(RepositoryPaths).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value
        ?? throw new InvalidOperationException("RepositoryRoot metadata missing.");

    public static string File(params string[] relative) => Path.GetFullPath(Path.Combine([Root, .. relative]));
}
