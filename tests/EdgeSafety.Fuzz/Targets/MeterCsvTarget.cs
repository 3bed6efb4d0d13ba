using System.Globalization;
using EdgeSafety.Analytics.Charging;

namespace EdgeSafety.Fuzz.Targets;

/// <summary>
/// A meter CSV as the detect command reads it: <see cref="MeterCsvReader"/> skipping bad rows (each counted by its
/// reason), every good row observed by its meter's <see cref="ChargingDetector"/> with the committed models.
/// </summary>
public sealed class MeterCsvTarget : FuzzTarget, IDisposable
{
    private static readonly string[] Optional = ["reactive_var", "power_factor", "thd_i_pct", "h3_pct", "h5_pct", "h7_pct", "h9_pct", "h11_pct", "h13_pct", "h15_pct", "note"];

    private readonly ChargingModels _models = ChargingModels.Load(Path.Combine(AppContext.BaseDirectory, "models"));
    private readonly ChargingDetectorOptions _options = new();

    public MeterCsvTarget() : base("meter-csv", "detect: meter CSV -> MeterCsvReader -> ChargingDetector")
    {
    }

    public override byte[] Generate(Random random)
    {
        List<string> header = ["ts", "meter", "voltage_v", "current_a", "power_w", .. Optional.Where(_ => random.Chance(0.6))];
        header = [.. header.OrderBy(_ => random.Next())];
        var rows = new List<List<string>>();
        var at = Generators.Now.AddDays(-random.Next(1000));
        var charging = false;
        for (var i = random.Next(0, 40); i > 0; i--)
        {
            at = at.AddSeconds(random.Chance(0.9) ? 1 : random.Next(-5, 600));
            charging ^= random.Chance(0.1);
            var current = (charging ? 1.4 : 0.2) + (random.NextDouble() * 0.05);
            var values = new Dictionary<string, string>
            {
                ["ts"] = CsvGenerator.Timestamp(random, at),
                ["meter"] = random.Pick(["meter-301", "meter-302"]),
                ["voltage_v"] = F(229 + random.NextDouble()),
                ["current_a"] = F(current),
                ["power_w"] = F(current * 229 * (charging ? 0.6 : 0.95)),
                ["reactive_var"] = F(current * 100),
                ["power_factor"] = F(charging ? 0.6 : 0.95),
                ["thd_i_pct"] = F(charging ? 80 : 5),
            };
            rows.Add([.. header.Select(column => values.GetValueOrDefault(column) ?? (column.StartsWith('h') ? F(random.NextDouble() * 60) : "x"))]);
        }

        return CsvGenerator.Write(random, header, rows);
    }

    public override void Run(byte[] input, Tally tally)
    {
        using var text = new StreamReader(new MemoryStream(input));
        var reader = new MeterCsvReader(text, skipBadRows: true, ex => tally.RejectMessage(ex.Message));
        var detectors = new Dictionary<string, ChargingDetector>(StringComparer.Ordinal);
        try
        {
            foreach (var row in reader.ReadRows())
            {
                if (!detectors.TryGetValue(row.Meter, out var detector))
                {
                    detectors[row.Meter] = detector = new ChargingDetector(row.Meter, _models, _options);
                }

                var skipped = detector.SkippedReadings;
                _ = detector.Observe(row.Observation);
                if (detector.SkippedReadings != skipped)
                {
                    tally.Reject("row not later than the meter's previous row");
                }
                else
                {
                    tally.Accept();
                }
            }
        }
        catch (MeterCsvException ex)
        {
            // Only the header stops a file when bad rows are skipped.
            tally.RejectMessage(ex.Message);
        }
    }

    public void Dispose() => _models.Dispose();

    private static string F(double value) => Math.Round(value, 3).ToString(CultureInfo.InvariantCulture);
}
