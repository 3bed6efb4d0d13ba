using EdgeSafety.Influx;
using Microsoft.Extensions.Options;

namespace EdgeSafety.Ingest;

/// <summary>
/// Drains the queue into InfluxDB in batches. A batch that fails for a passing reason (InfluxDB down, a
/// timeout) is retried with backoff until it lands; one InfluxDB refuses for good is counted and logged.
/// </summary>
public sealed partial class InfluxWriter(
    PointQueue queue,
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
        while (await queue.Reader.WaitToReadAsync(stoppingToken))
        {
            await FillBatchAsync(batch, stoppingToken);
            if (batch.Count > 0)
            {
                await WriteUntilDoneAsync(batch, stoppingToken);
                batch.Clear();
            }
        }
    }

    /// <summary>Takes points until the batch is full or the flush interval has passed since the first one.</summary>
    private async Task FillBatchAsync(List<InfluxPoint> batch, CancellationToken stoppingToken)
    {
        using var window = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        window.CancelAfter(_options.FlushIntervalMilliseconds);
        try
        {
            do
            {
                while (batch.Count < _options.MaxBatchSize && queue.Reader.TryRead(out var point))
                {
                    batch.Add(point);
                }
            }
            while (batch.Count < _options.MaxBatchSize && await queue.Reader.WaitToReadAsync(window.Token));
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // The flush interval ended: write what we have.
        }
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
            catch (Exception ex) when (ex is HttpRequestException or InfluxQueryException
                                           || (ex is TaskCanceledException && !stoppingToken.IsCancellationRequested))
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
                // A partial write stored the rest of the batch; InfluxDB says how many points it dropped.
                metrics.WriteFailures.Increment("rejected");
                metrics.PointsDropped.Add(ex.IsPartialWrite && ex.DroppedPoints is { } dropped ? dropped : batch.Count);
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

    [LoggerMessage(EventId = 2103, Level = LogLevel.Error, Message = "InfluxDB refused (part of) a batch of {Count} points for good: {Error}")]
    private partial void LogWriteRejected(int count, string error);
}
