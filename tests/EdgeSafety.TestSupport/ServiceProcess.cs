namespace EdgeSafety.TestSupport;

/// <summary>
/// Starts one of our services (edge agent, ingest, simulator, dashboard) as its own process, exactly as the
/// demo runs it: the built program with its shipped appsettings.json, and only ports and paths overridden.
/// </summary>
public static class ServiceProcess
{
    /// <summary>
    /// The start of the line a service logs once its readings connection has subscribed to all its filters (plain or
    /// partitioned readings topics): the broker keeps nothing for a subscription that does not exist yet, so a test
    /// publishes readings only after it. A service's other connections (status, events) log their own lines.
    /// </summary>
    public const string ReadingsSubscribed = "Subscribed to edgesafety/v1/+/+/readings/";

    /// <summary>
    /// The build output of a project built alongside the tests: test and service outputs are siblings under
    /// artifacts/bin/{project}/{configuration}. A project whose program has another name gives it as the assembly.
    /// </summary>
    public static string OutputDirectory(string project, string? assembly = null)
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testOutput.Name;
        var directory = Path.Combine(testOutput.Parent!.Parent!.FullName, project, configuration);
        if (!File.Exists(Path.Combine(directory, (assembly ?? project) + ".dll")))
        {
            throw new InvalidOperationException($"{project} is not built in {directory}; build the solution first.");
        }

        return directory;
    }

    /// <summary>
    /// Each process gets its own store folder (the agent's Store:Directory, ingest's alert database), removed with it,
    /// as each gateway has its own disk: what one test's process stored must not reach another test. A test that restarts a service on the same store passes
    /// its own --Store:Directory, which wins (the later of two equal settings does).
    /// </summary>
    public static ExternalProcess Start(string project, int httpPort, params string[] settings) =>
        Start(project, httpPort, new Dictionary<string, string>(), settings);

    /// <summary>As <see cref="Start(string, int, string[])"/>, with extra environment variables (runtime knobs such as DOTNET_gcServer).</summary>
    public static ExternalProcess Start(string project, int httpPort, IReadOnlyDictionary<string, string> environment, params string[] settings)
    {
        var directory = OutputDirectory(project);
        var store = new TemporaryDirectory("store");
        return ExternalProcess.Start(project, "dotnet",
            [Path.Combine(directory, project + ".dll"), "--contentRoot", directory, "--urls", $"http://127.0.0.1:{httpPort}",
                $"--Store:Directory={store.Path}", $"--Alerts:Store:SqlitePath={Path.Combine(store.Path, "alerts.db")}", .. settings],
            new Dictionary<string, string>(environment) { ["DOTNET_ENVIRONMENT"] = "Production", ["DOTNET_NOLOGO"] = "1" },
            workingDirectory: directory, owned: store);
    }

    /// <summary>Waits until the service's web endpoints answer (its log can run ahead of Kestrel's start).</summary>
    public static async Task WaitUntilHealthyAsync(ExternalProcess service, int httpPort, TimeSpan timeout)
    {
        using var http = new HttpClient();
        await Eventually.SucceedsAsync(async () =>
        {
            service.ThrowIfExited();
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{httpPort}/healthz"));
            response.EnsureSuccessStatusCode();
        }, timeout, $"{service.Name} to answer /healthz on port {httpPort}");
    }

    /// <summary>Log lines at error or critical level (the simple console logger marks them "fail:" and "crit:").</summary>
    public static IEnumerable<string> ErrorLines(ExternalProcess process) =>
        process.Output.Split('\n').Where(line => line.Contains("fail:", StringComparison.Ordinal) || line.Contains("crit:", StringComparison.Ordinal));
}
