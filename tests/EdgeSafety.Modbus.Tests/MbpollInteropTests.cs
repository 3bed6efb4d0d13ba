using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeSafety.Modbus.Tests;

/// <summary>Debian's mbpoll (a master we did not write, on its own libmodbus) reads our RTU server.</summary>
public sealed partial class MbpollInteropTests
{
    [Fact]
    public async Task Mbpoll_reads_holding_and_input_registers_of_two_units_from_our_rtu_server()
    {
        using var first = RtuServerTests.Bank(holding: [1234, 0, 65535, 42], input: [7, 8]);
        using var second = RtuServerTests.Bank(holding: [9], input: [11, 22, 33]);
        await using var bus = await RtuBus.StartAsync((1, first), (2, second));

        // -t 4: holding registers, -t 3: input registers; -r: first reference, 1-based; -1: poll once.
        (await MbpollAsync(bus, unitId: 1, table: "4", reference: 1, count: 4)).Should().Equal(1234, 0, 65535, 42);
        (await MbpollAsync(bus, unitId: 2, table: "3", reference: 2, count: 2)).Should().Equal(22, 33);
        (await MbpollAsync(bus, unitId: 1, table: "3", reference: 1, count: 2)).Should().Equal(7, 8);
        await RtuServerTests.ShouldCountServedAsync(bus.Server, 3);
    }

    private static async Task<int[]> MbpollAsync(RtuBus bus, int unitId, string table, int reference, int count)
    {
        string[] arguments =
        [
            "-m", "rtu", "-b", "9600", "-P", "none", "-a", Text(unitId), "-r", Text(reference), "-c", Text(count),
            "-t", table, "-1", bus.Line.MasterPath,
        ];
        var (exitCode, output) = await RunAsync("mbpoll", arguments, Timeouts.Bound);
        exitCode.Should().Be(0, output);
        // mbpoll prints one line per register: "[reference]: \tvalue", from 32768 on followed by " (signed value)".
        var values = RegisterLine().Matches(output)
            .ToDictionary(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
                m => int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        values.Keys.Should().Equal(Enumerable.Range(reference, count), output);
        return [.. values.Values];
    }

    /// <summary>Runs a one-shot command to its end, bounded by a timeout (then it is killed by its own id).</summary>
    private static async Task<(int ExitCode, string Output)> RunAsync(string fileName, string[] arguments, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
            var errors = process.StandardError.ReadToEndAsync(deadline.Token);
            await process.WaitForExitAsync(deadline.Token);
            return (process.ExitCode, await output + await errors);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not end within {timeout}.");
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\[(\d+)\]:\s+(\d+)(?: \(-?\d+\))?\s*$", RegexOptions.Multiline)]
    private static partial Regex RegisterLine();
}
