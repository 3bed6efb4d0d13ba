using System.Globalization;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Benchmarks;

/// <summary>
/// What the agent costs a gateway: the real agent process polling 32 simulated SDM120 meters every second on one
/// 115200-baud bus (the simulator holding each reply for its wire time, on a socat pty) and publishing every reading to
/// a real mosquitto. Measured from /proc: resident memory (VmRSS, and its peak VmHWM) and CPU time (utime + stime)
/// over a window after a warm-up, as a share of one core.
/// </summary>
internal static class GatewayFootprint
{
    public const int Devices = 32;
    public const double MemoryGoalMegabytes = 64;
    public const double CpuGoal = 0.05;

    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(20);

    /// <summary>Ticks of utime and stime in /proc/PID/stat: sysconf(_SC_CLK_TCK), 100 on Linux.</summary>
    private const double ClockTicksPerSecond = 100;

    public static async Task<Result> MeasureAsync(string variant, IReadOnlyDictionary<string, string> environment, TimeSpan window)
    {
        using var line = await SerialLinePair.StartAsync();
        await using var broker = await MosquittoBroker.StartAsync();
        var simulatorPort = LoopbackPort.Next();
        using var simulator = ServiceProcess.Start("EdgeSafety.Simulators", simulatorPort,
            [$"--Simulator:Lines:0:DevicePath={line.SlavePath}", "--Simulator:Lines:0:BaudRate=115200", "--Simulator:Lines:0:SimulateWireTime=true",
                "--Logging:LogLevel:Default=Warning", .. Settings("Simulator:Devices", unit => ["Name", $"meter-{unit:00}", "Line", "bus1", "Profile", "eastron-sdm120", "Model", "household-meter"])]);
        await ServiceProcess.WaitUntilHealthyAsync(simulator, simulatorPort, StartBound);

        var agentPort = LoopbackPort.Next();
        using var agent = ServiceProcess.Start("EdgeSafety.EdgeAgent", agentPort, environment,
            [$"--Mqtt:Port={broker.Port}", $"--Agent:Buses:0:DevicePath={line.MasterPath}", "--Agent:Buses:0:BaudRate=115200",
                .. Settings("Agent:Devices", unit => ["Id", $"meter-{unit:00}", "Bus", "bus1", "Profile", "eastron-sdm120", "PollIntervalMilliseconds", "1000"])]);
        await ServiceProcess.WaitUntilHealthyAsync(agent, agentPort, StartBound);
        await Task.Delay(WarmUp);

        using var http = new HttpClient();
        var metrics = new Uri($"http://127.0.0.1:{agentPort}/metrics");
        var publishedBefore = await PrometheusText.ReadAsync(http, metrics, "agent_readings_published_total");
        var cpuBefore = CpuSeconds(agent.Id);
        var started = DateTime.UtcNow;
        await Task.Delay(window);
        var cpu = CpuSeconds(agent.Id) - cpuBefore;
        var elapsed = DateTime.UtcNow - started;
        var published = await PrometheusText.ReadAsync(http, metrics, "agent_readings_published_total") - publishedBefore;
        var status = File.ReadAllLines($"/proc/{agent.Id}/status");
        var breakdown = Breakdown(agent.Id);
        agent.ThrowIfExited();
        return new Result(variant, published / elapsed.TotalSeconds, Kilobytes(status, "VmRSS:") / 1024, Kilobytes(status, "VmHWM:") / 1024,
            (Kilobytes(status, "RssAnon:") + Kilobytes(status, "RssShmem:")) / 1024, Kilobytes(status, "RssFile:") / 1024, cpu / elapsed.TotalSeconds,
            breakdown);
    }

    /// <summary>
    /// The DOTNET_* settings of the shipped systemd unit (deploy/systemd/edgesafety-agent.service, Environment= lines):
    /// "as shipped" runs with them, as a gateway does.
    /// </summary>
    public static Dictionary<string, string> ShippedEnvironment() =>
        File.ReadLines(RepositoryPaths.File("deploy", "systemd", "edgesafety-agent.service"))
            .Where(line => line.StartsWith("Environment=", StringComparison.Ordinal))
            .SelectMany(line => line["Environment=".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(pair => pair.Split('=', 2))
            .Where(pair => pair.Length == 2 && pair[0].StartsWith("DOTNET_", StringComparison.Ordinal))
            .ToDictionary(pair => pair[0], pair => pair[1]);

    /// <summary>Resident memory in MB by what holds it, from /proc/PID/smaps (each mapping's Rss, by the file it maps).</summary>
    private static SortedDictionary<string, double> Breakdown(int pid)
    {
        var totals = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var holder = "";
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 5 && fields[0].Contains('-', StringComparison.Ordinal) && !fields[0].EndsWith(':'))
            {
                holder = Holder(fields.Length >= 6 ? string.Join(' ', fields[5..]) : "");
            }
            else if (fields is ["Rss:", var kilobytes, "kB"])
            {
                totals[holder] = totals.GetValueOrDefault(holder) + double.Parse(kilobytes, CultureInfo.InvariantCulture) / 1024;
            }
        }

        return totals;
    }

    private static string Holder(string path) => path switch
    {
        "/memfd:doublemapper" or "/memfd:doublemapper (deleted)" => "JIT-compiled code and runtime stubs (W^X double mapping)",
        _ when path.EndsWith("/System.Private.CoreLib.dll", StringComparison.Ordinal) => "CoreLib",
        _ when path.Contains("/Microsoft.NETCore.App/", StringComparison.Ordinal) && path.EndsWith(".so", StringComparison.Ordinal) => ".NET runtime (libcoreclr, libclrjit, ...)",
        _ when path.Contains("/Microsoft.Extensions.", StringComparison.Ordinal) => "Microsoft.Extensions assemblies (hosting, DI, configuration, logging)",
        _ when path.Contains("/Microsoft.NETCore.App/", StringComparison.Ordinal) => "other .NET assemblies",
        _ when path.Contains("/Microsoft.AspNetCore.App/", StringComparison.Ordinal) => "ASP.NET Core assemblies (Kestrel, routing, HTTP)",
        _ when path.Contains("/EdgeSafety.", StringComparison.Ordinal) || path.Contains("/System.CommandLine", StringComparison.Ordinal) => "the agent's own assemblies",
        _ when path.StartsWith('/') && path.Contains(".so", StringComparison.Ordinal) => "native libraries (libc, libssl/libcrypto, libmosquitto, libmodbus, ...)",
        _ => "GC heap, stacks, native heap (anonymous)",
    };

    /// <summary>Unit ids 1..32 as indexed configuration settings (--Section:i:Key=value), plus UnitId.</summary>
    private static IEnumerable<string> Settings(string section, Func<int, string[]> keysAndValues) =>
        Enumerable.Range(1, Devices).SelectMany(unit =>
        {
            var pairs = keysAndValues(unit);
            var index = unit - 1;
            return pairs.Chunk(2).Select(p => $"--{section}:{index}:{p[0]}={p[1]}").Append($"--{section}:{index}:UnitId={unit}");
        });

    private static double CpuSeconds(int pid)
    {
        // The command may contain spaces and parentheses: fields are counted after its closing parenthesis.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields 14 (utime) and 15 (stime) of proc(5), here at 11 and 12 since fields 1 (pid) and 2 (comm) are cut.
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / ClockTicksPerSecond;
    }

    private static double Kilobytes(string[] status, string field) =>
        double.Parse(status.Single(l => l.StartsWith(field, StringComparison.Ordinal))[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);

    /// <summary>
    /// PrivateMegabytes is RssAnon + RssShmem, the process's own memory (heaps, stacks, JIT-compiled code); FileMegabytes
    /// is RssFile, mapped files (the runtime, framework assemblies, native libraries), shared with other .NET processes
    /// and reclaimable by the kernel.
    /// </summary>
    public sealed record Result(string Variant, double ReadingsPerSecond, double RssMegabytes, double PeakRssMegabytes, double PrivateMegabytes,
        double FileMegabytes, double CpuShareOfOneCore, IReadOnlyDictionary<string, double> Breakdown)
    {
        public bool MeetsGoals => PeakRssMegabytes <= MemoryGoalMegabytes && CpuShareOfOneCore <= CpuGoal;
    }
}
