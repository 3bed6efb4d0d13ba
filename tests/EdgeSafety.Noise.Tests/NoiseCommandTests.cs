using System.Diagnostics;
using System.Globalization;
using System.Text;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Noise.Tests;

/// <summary><c>./edgesafety noise</c>: the analytics command line run as its own process on CSV files.</summary>
public sealed class NoiseCommandTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new("noise-csv");

    /// <summary>
    /// Two sensors interleaved across 22:00 in Shanghai: a plaza at 58 dB every 2 s (ISO-8601 with offset) and a gate at
    /// 40 dB every 5 s (Unix milliseconds) with one 75 dB slam at 22:03:00.
    /// </summary>
    private static string TwoSensorsAcross22()
    {
        var rows = new List<(DateTimeOffset At, string Line)>();
        var plazaStart = new DateTimeOffset(2026, 7, 1, 21, 52, 0, TimeSpan.FromHours(8));
        for (var at = plazaStart; at < plazaStart.AddMinutes(19); at = at.AddSeconds(2))
        {
            rows.Add((at, $"{at:yyyy-MM-ddTHH:mm:sszzz},plaza,58.0"));
        }

        var gateStart = new DateTimeOffset(2026, 7, 1, 21, 58, 0, TimeSpan.FromHours(8));
        for (var at = gateStart; at < gateStart.AddMinutes(12); at = at.AddSeconds(5))
        {
            var db = at == gateStart.AddMinutes(5) ? "75" : "40";
            rows.Add((at, $"{at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)},gate,{db}"));
        }

        return "ts,sensor,db_a\n" + string.Join('\n', rows.OrderBy(r => r.At).Select(r => r.Line)) + "\n";
    }

    [Fact]
    public async Task Prints_each_window_and_each_step_of_the_rules_as_a_json_line()
    {
        var (exit, stdout, stderr) = await RunAsync(TwoSensorsAcross22(), "--zone", "2", "--windows", "5");

        exit.Should().Be(0, stderr);
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal(
            """{"sensor":"plaza","window":"5min","start":"2026-07-01T21:50:00+08:00","end":"2026-07-01T21:55:00+08:00","laeq":58,"lmax":58,"limit":60,"period":"day","coverage":0.6}""",
            """{"sensor":"plaza","window":"5min","start":"2026-07-01T21:55:00+08:00","end":"2026-07-01T22:00:00+08:00","laeq":58,"lmax":58,"limit":60,"period":"day","coverage":1}""",
            """{"sensor":"plaza","window":"day","start":"2026-07-01T06:00:00+08:00","end":"2026-07-01T22:00:00+08:00","laeq":58,"lmax":58,"limit":60,"period":"day","coverage":0.008}""",
            """{"sensor":"gate","window":"5min","start":"2026-07-01T21:55:00+08:00","end":"2026-07-01T22:00:00+08:00","laeq":40,"lmax":40,"limit":60,"period":"day","coverage":0.4}""",
            """{"sensor":"gate","window":"day","start":"2026-07-01T06:00:00+08:00","end":"2026-07-01T22:00:00+08:00","laeq":40,"lmax":40,"limit":60,"period":"day","coverage":0.002}""",
            """{"sensor":"gate","kind":"night_burst","at":"2026-07-01T22:03:00+08:00","lmax":75,"limit":50,"period":"night"}""",
            """{"sensor":"plaza","window":"5min","start":"2026-07-01T22:00:00+08:00","end":"2026-07-01T22:05:00+08:00","laeq":58,"lmax":58,"limit":50,"period":"night","coverage":1}""",
            """{"sensor":"gate","window":"5min","start":"2026-07-01T22:00:00+08:00","end":"2026-07-01T22:05:00+08:00","laeq":57.3,"lmax":75,"limit":50,"period":"night","coverage":1}""",
            """{"sensor":"plaza","window":"5min","start":"2026-07-01T22:05:00+08:00","end":"2026-07-01T22:10:00+08:00","laeq":58,"lmax":58,"limit":50,"period":"night","coverage":1}""",
            """{"sensor":"plaza","kind":"exceedance","at":"2026-07-01T22:10:00+08:00","laeq":58,"limit":50,"period":"night"}""",
            """{"sensor":"plaza","kind":"on_site_warning","at":"2026-07-01T22:10:00+08:00","laeq":58,"limit":50,"period":"night","warning":1}""",
            """{"sensor":"plaza","window":"5min","start":"2026-07-01T22:10:00+08:00","end":"2026-07-01T22:15:00+08:00","laeq":58,"lmax":58,"limit":50,"period":"night","coverage":0.2}""",
            """{"sensor":"plaza","window":"night","start":"2026-07-01T22:00:00+08:00","end":"2026-07-02T06:00:00+08:00","laeq":58,"lmax":58,"limit":50,"period":"night","coverage":0.023}""",
            """{"sensor":"gate","window":"5min","start":"2026-07-01T22:05:00+08:00","end":"2026-07-01T22:10:00+08:00","laeq":40,"lmax":40,"limit":50,"period":"night","coverage":1}""",
            """{"sensor":"gate","kind":"night_burst_cleared","at":"2026-07-01T22:10:00+08:00","lmax":40,"limit":50,"period":"night"}""",
            """{"sensor":"gate","window":"night","start":"2026-07-01T22:00:00+08:00","end":"2026-07-02T06:00:00+08:00","laeq":54.4,"lmax":75,"limit":50,"period":"night","coverage":0.021}""");
        stderr.Should().Be("noise: 714 rows of 2 sensors\n");
    }

    [Fact]
    public async Task A_bad_row_stops_it_with_the_line_number_unless_bad_rows_are_skipped_and_counted()
    {
        const string Csv = """
            ts,sensor,db_a
            2026-07-01T10:00:00+08:00,s1,50
            2026-07-01T10:00:01+08:00,s1,loud
            2026-07-01T10:00:02,s1,50
            2026-07-01T10:00:03+08:00,s1,50
            2026-07-01T10:00:02+08:00,s1,50
            2026-07-01T10:00:04+08:00,s1,50,extra
            2026-07-01T10:00:05+08:00,s1,51
            """;

        var (exit, stdout, stderr) = await RunAsync(Csv, "--zone", "1");
        exit.Should().Be(1);
        stdout.Should().BeEmpty();
        stderr.Should().Be("noise: line 3: db_a 'loud' is not a number (--skip-bad-rows skips such rows)\n");

        (exit, stdout, stderr) = await RunAsync(Csv, "--limits", "55/45", "--skip-bad-rows", "--windows", "1,5");
        exit.Should().Be(0, stderr);
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().StartWith(
            """{"sensor":"s1","window":"1min","start":"2026-07-01T10:00:00+08:00","end":"2026-07-01T10:01:00+08:00","laeq":50.3,"lmax":51,"limit":55,"period":"day","coverage":0.117}""");
        // Kept: 50 dB from 10:00:00 for 3 s, 50 dB from 10:00:03 for 2 s, 51 dB from 10:00:05 for 2 s (as long as the one before).
        stderr.Should().Be("noise: 3 rows of 1 sensors, 4 bad rows skipped (first: line 3: db_a 'loud' is not a number)\n");
    }

    [Theory]
    [InlineData("--zone '5' is not a zone class of GB 3096-2008 (0, 1, 2, 3, 4a, 4b)", "--zone", "5")]
    [InlineData("--limits: the night limit 55 is above the day limit 45", "--limits", "45/55")]
    [InlineData("give either --zone CLASS or --limits DAY/NIGHT", "--zone", "1", "--limits", "55/45")]
    [InlineData("--tz 'Mars/Olympus' is not a known time zone (IANA name, e.g. Asia/Shanghai)", "--zone", "1", "--tz", "Mars/Olympus")]
    [InlineData("window lengths must be whole minutes that divide an hour (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60)", "--zone", "1", "--windows", "5,7")]
    public async Task Wrong_arguments_are_refused_with_the_reason(string error, params string[] arguments)
    {
        var (exit, _, stderr) = await RunAsync("ts,sensor,db_a\n", arguments);

        exit.Should().Be(2);
        stderr.Should().Be($"noise: {error}\n");
    }

    public void Dispose() => _directory.Dispose();

    private async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string csv, params string[] arguments)
    {
        var path = _directory.Combine("levels.csv");
        await File.WriteAllTextAsync(path, csv);
        var cli = Path.Combine(ServiceProcess.OutputDirectory("EdgeSafety.Analytics.Cli", "edgesafety-analytics"), "edgesafety-analytics.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = Encoding.UTF8 };
        foreach (var argument in (string[])[cli, "noise", path, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
