using EdgeSafety.TestSupport;
using Xunit.Abstractions;

namespace EdgeSafety.Fuzz.Tests;

/// <summary>
/// Hostile HTTP requests against ingest's alert API as it runs in production (its own process, with mosquitto and
/// InfluxDB): random paths and methods, hostile parameters, malformed, oversized and wrongly typed bodies, huge headers.
/// No request may get a 5xx or log an error, and ingest answers /healthz afterwards.
/// </summary>
public sealed class WebFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private MosquittoBroker _broker = null!;
    private InfluxServer _influx = null!;
    private ExternalProcess _ingest = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartAsync();
        _influx = await InfluxServer.StartAsync();
        _port = LoopbackPort.Next();
        _ingest = ServiceProcess.Start("EdgeSafety.Ingest", _port, $"--Mqtt:Port={_broker.Port}", $"--Influx:BaseAddress={_influx.BaseAddress}");
        await ServiceProcess.WaitUntilHealthyAsync(_ingest, _port, Bound);
    }

    public async Task DisposeAsync()
    {
        _ingest.Dispose();
        await _influx.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Fact]
    public void Hostile_requests_to_ingests_api_get_no_5xx_and_ingest_stays_healthy()
    {
        var target = FuzzTargets.Web(new Uri($"http://127.0.0.1:{_port}/"), routesFile: null, headers: []);

        // The requests that once got a 500, now refused with what was wrong: the report's date, the body's charset.
        foreach (var (file, status) in new[] { ("web--report-at-year-one.bin", "400"), ("web--unknown-charset.bin", "415") })
        {
            var tally = new Tally();
            FuzzRunner.Execute(target, File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Regressions", file)), tally).Should().BeNull(file);
            tally.Rejections.Keys.Should().Equal([status], file);
        }

        var result = new FuzzRunner(TextWriter.Null, crashDirectory: null).Run(target, 1_500, seed: 20260701);
        FuzzReport.Show(output, result);

        result.Crashes.Should().BeEmpty(FuzzReport.Crashes(result));
        result.Tally.Accepted.Should().BePositive("valid requests are among the cases, and succeed");
        result.Tally.Rejections.Keys.Should().Contain(["400", "404"]);
        ServiceProcess.ErrorLines(_ingest).Should().BeEmpty();
    }
}
