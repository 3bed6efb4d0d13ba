using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace EdgeSafety.Ingest;

/// <summary>
/// /healthz for the InfluxDB writer: unhealthy when points wait in the spill and the writer has made no progress
/// (no batch stored, not even idle) for <see cref="IngestOptions.StuckWriterSeconds"/>: InfluxDB has been failing that
/// long, or the writer is hung. The process answering proves neither.
/// </summary>
public sealed class WriterHealth(PointQueue queue, IOptions<IngestOptions> options, TimeProvider time) : IHealthCheck
{
    private readonly TimeSpan _stuckAfter = TimeSpan.FromSeconds(options.Value.StuckWriterSeconds);
    private long _lastProgressTicks = time.GetTimestamp();
    private string? _lastError;

    /// <summary>The writer stored a batch, or had nothing to do.</summary>
    public void Progressed()
    {
        Interlocked.Exchange(ref _lastProgressTicks, time.GetTimestamp());
        Volatile.Write(ref _lastError, null);
    }

    public void Failed(string error) => Volatile.Write(ref _lastError, error);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var stalled = time.GetElapsedTime(Interlocked.Read(ref _lastProgressTicks));
        var waiting = queue.Count;
        return Task.FromResult(waiting > 0 && stalled > _stuckAfter
            ? HealthCheckResult.Unhealthy(
                $"no batch reached InfluxDB for {stalled.TotalSeconds:0} s while {waiting} points wait in the spill (last error: {Volatile.Read(ref _lastError) ?? "none"})")
            : HealthCheckResult.Healthy());
    }
}
