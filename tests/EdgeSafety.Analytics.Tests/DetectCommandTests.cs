using System.Globalization;
using System.Text.Json;
using EdgeSafety.Appliances;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Analytics.Tests;

/// <summary>`edgesafety detect FILE.csv` as a user runs it: the built command line as its own process.</summary>
public sealed class DetectCommandTests : IDisposable
{
    private const string Header = "ts,meter,voltage_v,current_a,power_w,reactive_var,power_factor,thd_i_pct,h3_pct,h5_pct,h7_pct,h9_pct,h11_pct,h13_pct,h15_pct";
    private readonly TemporaryDirectory _directory = new("detect");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Finds_the_charging_meter_among_interleaved_meters_of_different_tiers_and_irregular_sampling()
    {
        var charging = new SimulatedHousehold(seed: 11);
        var quiet = new SimulatedHousehold(seed: 12);
        foreach (var household in new[] { charging, quiet })
        {
            household.Live.PlugIn(ApplianceKind.Router);
            household.Live.PlugIn(ApplianceKind.LaptopCharger);
        }

        var rows = new List<string> { Header };
        var random = new Random(4);
        DateTimeOffset? pluggedIn = null;
        for (var second = 0; second < 900; second += 1 + random.Next(2))
        {
            if (second >= 300 && pluggedIn is null)
            {
                pluggedIn = charging.Live.PlugIn(ApplianceKind.EbikeLeadAcid60V, stateOfCharge: 0.2).PluggedIn;
                quiet.Live.PlugIn(ApplianceKind.Kettle);
            }

            var interval = TimeSpan.FromSeconds(second) - (charging.Live.Now - SimulatedHousehold.Start);
            rows.Add(Row("room-301", charging.Live.Advance(interval), iso: true, harmonics: true));
            rows.Add(Row("room-302", quiet.Live.Advance(interval), iso: false, harmonics: false));
        }

        var csv = _directory.Combine("readings.csv");
        await File.WriteAllLinesAsync(csv, rows);

        var (exitCode, output, error) = await RunDetectAsync(csv);

        exitCode.Should().Be(0, error);
        var detections = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var detection = detections.Should().ContainSingle().Subject;
        detection.GetProperty("meter").GetString().Should().Be("room-301");
        detection.GetProperty("tier").GetString().Should().Be("harmonic");
        var startedAt = DateTimeOffset.Parse(detection.GetProperty("started_at").GetString()!, CultureInfo.InvariantCulture);
        startedAt.Offset.Should().Be(TimeSpan.FromHours(8), "times keep the offset of the input");
        startedAt.Should().BeCloseTo(pluggedIn!.Value, TimeSpan.FromSeconds(3));
        var detectedAt = DateTimeOffset.Parse(detection.GetProperty("detected_at").GetString()!, CultureInfo.InvariantCulture);
        (detectedAt - pluggedIn.Value).Should().BeLessThan(TimeSpan.FromMinutes(1));
        detection.GetProperty("confidence").GetDouble().Should().BeInRange(new EdgeSafety.Analytics.Charging.ChargingDetectorOptions().ConfirmProbability, 1);
    }

    [Fact]
    public async Task A_bad_row_stops_with_its_line_number_unless_bad_rows_are_skipped()
    {
        var csv = _directory.Combine("bad.csv");
        await File.WriteAllLinesAsync(csv, ["ts,meter,voltage_v,current_a,power_w", "1795352400000,m1,220,1,200", "1795352401000,m1,220,one,200", "1795352402000,m1,220,1,200"]);

        var (stopped, _, stopError) = await RunDetectAsync(csv);
        var (skipped, _, skipError) = await RunDetectAsync(csv, "--skip-bad-rows");

        stopped.Should().Be(1);
        stopError.Should().Contain("line 3: current_a \"one\" is not a number");
        skipped.Should().Be(0, skipError);
        skipError.Should().Contain("1 bad rows and 0 out-of-order rows skipped");
    }

    [Fact]
    public async Task A_missing_file_is_a_clear_error()
    {
        var (exitCode, _, error) = await RunDetectAsync(_directory.Combine("absent.csv"));

        exitCode.Should().Be(2);
        error.Should().Contain("cannot read").And.Contain("absent.csv");
    }

    private static string Row(string meter, MeterSample sample, bool iso, bool harmonics)
    {
        var c = CultureInfo.InvariantCulture;
        var ts = iso ? sample.Timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", c) : sample.Timestamp.ToUnixTimeMilliseconds().ToString(c);
        var h = harmonics ? string.Join(',', Enumerable.Range(0, 7).Select(i => sample.Harmonics[3 + (2 * i)].ToString("0.###", c))) : ",,,,,,";
        return string.Create(c, $"{ts},{meter},{sample.VoltageV:0.##},{sample.CurrentA:0.####},{sample.PowerW:0.##},{sample.ReactiveVar:0.##},{sample.PowerFactor:0.####},{sample.ThdIPct:0.##},{h}");
    }

    private static Task<(int ExitCode, string Output, string Error)> RunDetectAsync(params string[] arguments) =>
        AnalyticsCommandLine.RunAsync(Environment.CurrentDirectory, ["detect", .. arguments]);
}
