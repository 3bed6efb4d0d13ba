using System.Diagnostics;
using EdgeSafety.Influx;
using Microsoft.Extensions.Options;

namespace EdgeSafety.Ingest;

/// <summary>
/// Drains the spill into InfluxDB in batches, oldest first, and removes a batch from the spill only once InfluxDB has
/// stored it. A batch that fails for a passing reason (InfluxDB down, a timeout) is retried with backoff until it
/// lands; one InfluxDB refuses for good is counted and logged. After a restart it starts with whatever the spill still
/// holds, so points can reach InfluxDB twice, which rewrites the same point (same measurement, tags and time).
/// </summary>
public sealed partial class InfluxWriter(
    PointQueue queue,
    InfluxClient influx,
    IOptions<IngestOptions> options,
    IngestMetrics metrics,
    WriterHealth health,
    ILogger<InfluxWriter> logger) : BackgroundService
{
    private readonly IngestOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Stopping cancels the wait or the write under way: what was not written stays in the spill for the next start.
        await EnsureDatabaseAsync(stoppingToken);
        var waiting = queue.Count;
        if (waiting > 0)
        {
            LogReplaying(waiting);
        }

        var next = queue.FirstOffset;
        var body = new MemoryStream();
        while (!stoppingToken.IsCancellationRequested)
        {
            health.Progressed();
            await queue.WaitForPointsAsync(next, stoppingToken);
            health.Progressed();
            var batch = await FillBatchAsync(next, body, stoppingToken);
            if (batch.Count > 0)
            {
                await WriteUntilDoneAsync(body, batch.Count, stoppingToken);
                queue.RemoveThrough(batch.LastOffset);
                next = batch.LastOffset + 1;
            }
        }
    }

    /// <summary>Takes points until the batch is full or the flush interval has passed since the first one.</summary>
    private async Task<(int Count, long LastOffset)> FillBatchAsync(long from, MemoryStream body, CancellationToken stoppingToken)
    {
        body.SetLength(0);
        var count = 0;
        var last = from - 1;
        using var window = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        window.CancelAfter(_options.FlushIntervalMilliseconds);
        try
        {
            while (true)
            {
                var read = queue.Read(last + 1, _options.MaxBatchSize - count);
                if (read.Lost > 0)
                {
                    metrics.PointsLost.Add(read.Lost);
                }

                foreach (var record in read.Records)
                {
                    body.Write(record.Data);
                    last = record.Offset;
                    count++;
                }

                if (count >= _options.MaxBatchSize)
                {
                    break;
                }

                await queue.WaitForPointsAsync(last + 1, window.Token);
            }
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // The flush interval ended: write what we have.
        }

        return (count, last);
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
                health.Failed(ex.Message);
                LogInfluxUnreachable(ex.Message, delay);
                await Task.Delay(delay, stoppingToken);
                delay = NextDelay(delay);
            }
        }
    }

    private async Task WriteUntilDoneAsync(MemoryStream body, int count, CancellationToken stoppingToken)
    {
        var lines = body.GetBuffer().AsMemory(0, (int)body.Length);
        var delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await influx.WriteLinesAsync(lines, count, stoppingToken);
                metrics.WriteDuration.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
                metrics.Written.Add(count);
                return;
            }
            catch (InfluxWriteException ex) when (ex.Failure == InfluxWriteFailure.Transient)
            {
                metrics.WriteFailures.Increment("transient");
                health.Failed(ex.Message);
                LogWriteRetry(count, ex.Message, delay);
                await Task.Delay(delay, stoppingToken);
                delay = NextDelay(delay);
            }
            catch (InfluxWriteException ex)
            {
                // A partial write stored the rest of the batch; InfluxDB says how many points it dropped.
                metrics.WriteDuration.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
                metrics.WriteFailures.Increment("rejected");
                metrics.PointsDropped.Add(ex.IsPartialWrite && ex.DroppedPoints is { } dropped ? dropped : count);
                LogWriteRejected(count, ex.Message);
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

    [LoggerMessage(EventId = 2104, Level = LogLevel.Information, Message = "The spill holds {Count} points from before this start: sending them to InfluxDB first")]
    private partial void LogReplaying(long count);
}
