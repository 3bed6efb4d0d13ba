namespace EdgeSafety.TestSupport;

/// <summary>A fresh directory for one test's data; removed on dispose.</summary>
public sealed class TemporaryDirectory : IDisposable
{
    public TemporaryDirectory(string prefix)
    {
        Path = Directory.CreateTempSubdirectory($"edgesafety-{prefix}-").FullName;
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A server we killed may still be closing a file; the OS cleans /tmp in the end.
        }
    }
}
