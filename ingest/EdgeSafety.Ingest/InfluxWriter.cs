using EdgeSafety.Contracts;
using EdgeSafety.Influx;
using Microsoft.Extensions.Options;

namespace EdgeSafety.Ingest;

/// <summary>
/// Drains the queue into InfluxDB in batches. A batch that fails for a passing reason (InfluxDB down, a
/// timeout) is retried with backoff until it lands; one InfluxDB refuses for good is counted and logged.
/// </summary>
public sealed partial class InfluxWriter(
    ReadingQueue queue,
    InfluxClient influx,
    IOptions<IngestOptions> options,
    IngestMetrics metrics,
    ILogger<InfluxWriter> logger) : BackgroundService
{
    private readonly IngestOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await EnsureDatabaseAsync(stoppingToken);
        var batch = new List<InfluxPoint>(_options.MaxBatchSize);
        var flushInterval = TimeSpan.FromMilliseconds(_options.FlushIntervalMilliseconds);
        while (await queue.Reader.WaitToReadAsync(stoppingToken))
        {
            using (var window = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                window.CancelAfter(flushInterval);
                try
                {
                    while (batch.Count < _options.MaxBatchSize && await queue.Reader.WaitToReadAsync(window.Token))
                    {
                        while (batch.Count < _options.MaxBatchSize && queue.Reader.TryRead(out var received))
                        {
                            batch.Add(ToPoint(received));
                        }
                    }
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // The flush interval ended: write what we have.
                }
            }

            await WriteUntilDoneAsync(batch, stoppingToken);
            batch.Clear();
        }
    }

    /// <summary>The InfluxDB point of a reading: measurement by device kind, one field per value, seq as an integer.</summary>
    public static InfluxPoint ToPoint(ReceivedReading received)
    {
        var reading = received.Reading;
        var point = new InfluxPoint(ReadingCodec.KindName(reading.Kind), reading.Timestamp)
            .Tag("site", received.Source.Site)
            .Tag("gateway", received.Source.Gateway)
            .Tag("device", reading.Device)
            .Tag("profile", reading.Profile);
        if (reading.Unit is not null)
        {
            point.Tag("unit", reading.Unit);
        }

        foreach (var (name, value) in reading.Values)
        {
            point.Field(name, value);
        }

        return point.Field("seq", reading.Sequence);
    }

    private async Task EnsureDatabaseAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                await influx.EnsureDatabaseAsync(stoppingToken);
                return;
            }
            catch (HttpRequestException ex)
            {
                LogInfluxUnreachable(ex.Message, delay);
                await Task.Delay(delay, stoppingToken);
                delay = NextDelay(delay);
            }
        }
    }

    private async Task WriteUntilDoneAsync(List<InfluxPoint> batch, CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                await influx.WriteAsync(batch, stoppingToken);
                metrics.Written.Add(batch.Count);
                return;
            }
            catch (InfluxWriteException ex) when (ex.Failure == InfluxWriteFailure.Transient)
            {
                metrics.WriteFailures.Increment("transient");
                LogWriteRetry(batch.Count, ex.Message, delay);
                await Task.Delay(delay, stoppingToken);
                delay = NextDelay(delay);
            }
            catch (InfluxWriteException ex)
            {
                metrics.WriteFailures.Increment("rejected");
                metrics.PointsDropped.Add(batch.Count);
                LogWriteRejected(batch.Count, ex.Message);
                return;
            }
        }
    }

    private TimeSpan NextDelay(TimeSpan delay) =>
        TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, _options.MaxRetryDelayMilliseconds));

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "InfluxDB unreachable ({Error}); trying again in {Delay}")]
    private partial void LogInfluxUnreachable(string error, TimeSpan delay);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Writing {Count} points failed ({Error}); retrying in {Delay}")]
    private partial void LogWriteRetry(int count, string error, TimeSpan delay);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Error, Message = "InfluxDB refused a batch of {Count} points for good: {Error}")]
    private partial void LogWriteRejected(int count, string error);
}
