using System.Globalization;

namespace EdgeSafety.Benchmarks;

/// <summary>
/// Where a measured phase's CPU went: each process of the chain (utime + stime from <c>/proc/PID/stat</c>), ingest's
/// threads by name (<c>/proc/PID/task/TID/stat</c>: the MQTT thread, the thread pool that runs the writer, the GC), and
/// the whole machine (<c>/proc/stat</c>, every process including other users'), taken at the start and the end of the
/// phase. On a shared machine the rates depend on what else runs; CPU time per reading much less.
/// </summary>
internal sealed class ChainCpu
{
    /// <summary>USER_HZ: the unit of the kernel's CPU counters in /proc, 100 on every Linux architecture.</summary>
    private const double TicksPerSecond = 100;

    private readonly List<(string Name, int Pid, long Ticks)> _processes;
    private readonly int? _threadsOf;
    private readonly Dictionary<int, (string Name, long Ticks)> _threadTicks;
    private readonly (long Busy, long All) _machine;

    private ChainCpu(IReadOnlyList<(string Name, int Pid)> processes, int? threadsOf)
    {
        _processes = [.. processes.Select(p => (p.Name, p.Pid, ProcessTicks(p.Pid)))];
        _threadsOf = threadsOf;
        _threadTicks = threadsOf is { } pid ? ThreadTicks(pid) : [];
        _machine = MachineTicks();
    }

    /// <summary>
    /// Starts counting for the named processes (several processes may share a name, e.g. two ingest instances: they are
    /// added up); <paramref name="threadsOf"/> is the process whose threads are reported by name.
    /// </summary>
    public static ChainCpu Start(IReadOnlyList<(string Name, int Pid)> processes, int? threadsOf = null) => new(processes, threadsOf);

    /// <summary>CPU time since <see cref="Start"/>, in microseconds per reading (or point) of the phase.</summary>
    public ChainCpuUsage Stop(double readings, TimeSpan elapsed)
    {
        var perReading = 1e6 / TicksPerSecond / readings;
        var processes = _processes
            .GroupBy(p => p.Name)
            .Select(g => new ProcessCpu(g.Key, g.Sum(p => ProcessTicks(p.Pid) - p.Ticks) * perReading))
            .ToList();
        var threads = new List<ProcessCpu>();
        if (_threadsOf is { } pid)
        {
            var now = ThreadTicks(pid);
            threads = [.. now
                .Select(t => (t.Value.Name, Ticks: t.Value.Ticks - (_threadTicks.TryGetValue(t.Key, out var before) ? before.Ticks : 0)))
                .GroupBy(t => t.Name)
                .Select(g => new ProcessCpu(g.Key, g.Sum(t => t.Ticks) * perReading))
                .Where(t => t.MicrosecondsPerReading > 0)
                .OrderByDescending(t => t.MicrosecondsPerReading)];
        }

        var machine = MachineTicks();
        var busyTicks = machine.Busy - _machine.Busy;
        var cores = Environment.ProcessorCount;
        return new ChainCpuUsage(processes, threads, busyTicks * perReading, (double)busyTicks / (machine.All - _machine.All) * cores,
            readings / elapsed.TotalSeconds, cores);
    }

    /// <summary>
    /// Waits (at most <paramref name="longest"/>) until a process has used under a twentieth of a core for a whole second,
    /// and says how long that took: influxd snapshots and compacts what a phase wrote after the phase ends, and that work
    /// belongs to the phase that wrote it, not to whichever phase runs next.
    /// </summary>
    public static async Task<TimeSpan> WaitUntilQuietAsync(int pid, TimeSpan longest)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < longest)
        {
            var before = ProcessTicks(pid);
            await Task.Delay(TimeSpan.FromSeconds(1));
            if (ProcessTicks(pid) - before < TicksPerSecond / 20)
            {
                break;
            }
        }

        return waited.Elapsed;
    }

    private static long ProcessTicks(int pid) => Ticks(File.ReadAllText($"/proc/{pid}/stat")).Ticks;

    /// <summary>Threads alive now, by id; one that ended during the phase shows only in its process's total.</summary>
    private static Dictionary<int, (string Name, long Ticks)> ThreadTicks(int pid)
    {
        var threads = new Dictionary<int, (string, long)>();
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                threads[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] = Ticks(File.ReadAllText(Path.Combine(task, "stat")));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Ended between the listing and the read.
            }
        }

        return threads;
    }

    /// <summary>
    /// The name (comm, in parentheses: it may hold spaces) and utime + stime (fields 14 and 15) of a stat line.
    /// Thread names are cut to 15 bytes by the kernel; numbered pool threads are taken together.
    /// </summary>
    private static (string Name, long Ticks) Ticks(string stat)
    {
        var open = stat.IndexOf('(', StringComparison.Ordinal);
        var close = stat.LastIndexOf(')');
        var name = stat[(open + 1)..close].TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ' ', '#');
        var fields = stat[(close + 2)..].Split(' ');
        // fields[0] is field 3 (state), so utime (14) and stime (15) are at 11 and 12.
        return (name, long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
    }

    /// <summary>All CPUs' busy and total ticks from the first line of /proc/stat (idle and iowait are not busy).</summary>
    private static (long Busy, long All) MachineTicks()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var all = cpu.Sum();
        return (all - cpu[3] - cpu[4], all);
    }
}

/// <summary>A process's (or a group of threads') CPU time per reading of a phase.</summary>
internal sealed record ProcessCpu(string Name, double MicrosecondsPerReading);

/// <summary>
/// A phase's CPU: per process and per ingest thread group, the whole machine's busy time per reading (other users'
/// processes included) and how many cores were busy on average, at the phase's rate.
/// </summary>
internal sealed record ChainCpuUsage(IReadOnlyList<ProcessCpu> Processes, IReadOnlyList<ProcessCpu> Threads,
    double MachineMicrosecondsPerReading, double MachineBusyCores, double ReadingsPerSecond, int Cores)
{
    public double Of(string process) => Processes.Where(p => p.Name == process).Sum(p => p.MicrosecondsPerReading);

    public double ChainMicrosecondsPerReading => Processes.Sum(p => p.MicrosecondsPerReading);
}
