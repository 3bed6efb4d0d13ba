namespace EdgeSafety.TestSupport;

/// <summary>Renders one of the configuration templates under deploy/, exactly as `./edgesafety demo` does.</summary>
public static class ConfigTemplate
{
    public static string Render(string templateName, IReadOnlyDictionary<string, string> values)
    {
        var text = File.ReadAllText(RepositoryPaths.File("deploy", templateName));
        foreach (var (key, value) in values)
        {
            text = text.Replace($"@{key}@", value, StringComparison.Ordinal);
        }

        if (text.Contains('@', StringComparison.Ordinal) && System.Text.RegularExpressions.Regex.IsMatch(text, "@[A-Z_]+@"))
        {
            throw new InvalidOperationException($"{templateName} has a placeholder the test did not fill.");
        }

        return text;
    }
}
