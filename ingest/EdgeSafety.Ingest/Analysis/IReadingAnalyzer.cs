namespace EdgeSafety.Ingest.Analysis;

/// <summary>
/// Per-device analysis of validated readings (the e-bike charging classifier, the noise rules). Called on the MQTT
/// thread in arrival order, so an analyser sees each device's readings in order and needs no locking of its
/// per-device state; it must therefore be quick and never block. Results leave through the point queue
/// (derived series for InfluxDB) and the alert signals.
/// </summary>
public interface IReadingAnalyzer
{
    void Analyze(ReceivedReading received);
}
