using BenchmarkDotNet.Attributes;
using EdgeSafety.Analytics.Charging;
using EdgeSafety.Analytics.Cli.Charging;
using EdgeSafety.Appliances;
using EdgeSafety.XGBoost;

namespace EdgeSafety.Charging.Benchmarks;

/// <summary>
/// The target is 100,000 fingerprints classified per second per core. A fingerprint here is the feature
/// vector of an added load with five minutes of 1 s history, computed and then classified by the committed
/// harmonic model on one XGBoost thread: one at a time (as ingest does, one checkpoint at a time) and in batches
/// of 1,000 (as a batch job would). Observe is the detector's cost per meter reading over a simulated household-day.
/// </summary>
[MemoryDiagnoser]
public class ChargingBenchmarks
{
    public const int Batch = 1_000;
    private readonly float[] _fingerprint = new float[Fingerprint.Count];
    private readonly float[] _batch = new float[Batch * Fingerprint.Count];
    private readonly float[] _probabilities = new float[Batch];
    private Booster _model = null!;
    private FingerprintSource _source = null!;
    private MeterObservation[] _day = [];
    private ChargingModels _models = null!;

    [GlobalSetup]
    public void Setup()
    {
        var models = Path.Combine(AppContext.BaseDirectory, "models");
        _model = Booster.LoadFile(Path.Combine(models, ChargingModels.FileName(MeterTier.Harmonic)));
        _model.SetParameter("nthread", "1");
        _models = ChargingModels.Load(models);
        _source = FingerprintSource.Charger();
        var household = HouseholdScenario.Generate(7, ParameterSet.Training, new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.FromHours(8)),
            TimeSpan.FromDays(1), TimeSpan.FromSeconds(1));
        _day = [.. household.Samples.Select(sample => SimulatedMeter.Observation(sample))];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _model.Dispose();
        _models.Dispose();
    }

    [Benchmark]
    public void ComputeFingerprint() => _source.Compute(_fingerprint);

    [Benchmark]
    public float ClassifyOne()
    {
        _source.Compute(_fingerprint);
        return _model.PredictRow(_fingerprint);
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public float ClassifyBatch()
    {
        for (var i = 0; i < Batch; i++)
        {
            _source.Compute(_batch.AsSpan(i * Fingerprint.Count, Fingerprint.Count));
        }

        _model.Predict(_batch, Batch, _probabilities);
        return _probabilities[0];
    }

    [Benchmark(OperationsPerInvoke = 86_400)]
    public int ObserveHouseholdDay()
    {
        var detector = new ChargingDetector("m", _models, new ChargingDetectorOptions());
        var events = 0;
        foreach (var observation in _day)
        {
            events += detector.Observe(observation).Count;
        }

        return events;
    }
}
