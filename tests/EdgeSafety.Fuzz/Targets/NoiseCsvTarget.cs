using System.Globalization;
using System.Text.Json;
using EdgeSafety.Analytics.Cli;
using EdgeSafety.Analytics.Noise;

namespace EdgeSafety.Fuzz.Targets;

/// <summary>
/// A noise CSV as the noise command reads it (<see cref="NoiseCommand"/> with zone class 1): stopping at the first bad
/// row (counted by its reason) or skipping bad rows, and every line it writes must be one JSON object.
/// </summary>
public sealed class NoiseCsvTarget : FuzzTarget
{
    private readonly NoiseMonitorSettings _settings;

    public NoiseCsvTarget() : base("noise-csv", "noise: noise CSV -> NoiseCsv -> SensorNoiseMonitor -> JSON lines")
    {
        if (NoiseCommand.ReadSettings("1", null, "Asia/Shanghai", "06:00", "22:00", "1,5,15", out var settings) is { } problem)
        {
            throw new InvalidOperationException($"the fuzz target's noise settings are refused: {problem}");
        }

        _settings = settings;
    }

    public override byte[] Generate(Random random)
    {
        List<string> header = ["ts", "sensor", "db_a", .. random.Chance(0.3) ? ["note"] : Array.Empty<string>()];
        header = [.. header.OrderBy(_ => random.Next())];
        var rows = new List<List<string>>();
        var at = Generators.Now.AddHours(random.Next(24));
        for (var i = random.Next(0, 60); i > 0; i--)
        {
            at = at.AddSeconds(random.Chance(0.9) ? random.Next(1, 30) : random.Next(-60, 3600));
            var values = new Dictionary<string, string>
            {
                ["ts"] = CsvGenerator.Timestamp(random, at),
                ["sensor"] = random.Pick(["noise-1", "noise-2"]),
                ["db_a"] = Math.Round(35 + (random.NextDouble() * 60), 1).ToString(CultureInfo.InvariantCulture),
                ["note"] = "x",
            };
            rows.Add([.. header.Select(column => values[column])]);
        }

        return CsvGenerator.Write(random, header, rows);
    }

    public override void Run(byte[] input, Tally tally)
    {
        var skipBadRows = input.Length % 2 == 0;
        using var reader = new StreamReader(new MemoryStream(input));
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = NoiseCommand.Run(reader, output, errors, _settings, skipBadRows);
        foreach (var line in output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FuzzInvariantException($"the noise command wrote a line that is not a JSON object: {line}");
            }
        }

        if (exit == 0)
        {
            tally.Accept();
            // Skipping bad rows, the command names the first one: "... 3 bad rows skipped (first: line 7: db_a 'x' is not a number)".
            var skipped = errors.ToString().Split(" bad rows skipped (first: ", 2);
            if (skipped.Length == 2)
            {
                tally.RejectMessage(skipped[1].TrimEnd()[..^1]);
            }

            return;
        }

        // "noise: line 7: db_a 'x' is not a number (--skip-bad-rows skips such rows)": the reason, without line and hint.
        var message = errors.ToString().Trim();
        message = message.StartsWith("noise: ", StringComparison.Ordinal) ? message[7..] : message;
        tally.RejectMessage(message.Split(" (--skip-bad-rows", 2)[0]);
    }
}
