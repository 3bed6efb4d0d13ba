using EdgeSafety.Alerts;

namespace EdgeSafety.Ingest.Alerts;

/// <summary>
/// Hosts the alert engine in ingest: opens (creates, migrates) the store and seeds the registry before ingest
/// serves, then turns every signal the analysers queue into a stored alert, and runs due escalations and deliveries
/// whenever new work arrives or the poll interval passes. Due times live in the store, so after a restart the
/// first look at it finds whatever fell due meanwhile.
/// </summary>
public sealed partial class AlertEngineService(AlertEngine engine, AlertSignalQueue signals, AlertMetrics metrics, ILogger<AlertEngineService> logger)
    : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await engine.InitializeAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Task.Run(() => ConsumeSignalsAsync(stoppingToken), stoppingToken), Task.Run(() => RunDueWorkAsync(stoppingToken), stoppingToken));

    private async Task ConsumeSignalsAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var signal in signals.Reader.ReadAllAsync(stoppingToken))
            {
                await HandleAsync(signal, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping; signals still queued are lost with the process, as readings not yet analysed would be.
        }
    }

    /// <summary>A signal the store cannot take now (database unreachable) is retried until it can, never dropped.</summary>
    private async Task HandleAsync(AlertSignal signal, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var outcome = await engine.HandleAsync(signal, stoppingToken);
                metrics.Signals.Increment(AlertMetrics.Label(outcome.Effect.ToString()));
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                metrics.SignalFailures.Increment();
                LogSignalFailed(logger, ex, signal.Kind, signal.Site, signal.Gateway, signal.Device, attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, attempt)), stoppingToken);
            }
        }
    }

    private async Task RunDueWorkAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await engine.RunDueWorkAsync(stoppingToken);
                await engine.WaitForWorkAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogDueWorkFailed(logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }

    [LoggerMessage(EventId = 6020, Level = LogLevel.Error, Message = "Could not record the {Kind} signal of {Site}/{Gateway}/{Device} (attempt {Attempt}); retrying")]
    private static partial void LogSignalFailed(ILogger logger, Exception exception, AlertKind kind, string site, string gateway, string device, int attempt);

    [LoggerMessage(EventId = 6021, Level = LogLevel.Error, Message = "Due escalations and deliveries failed; trying again shortly")]
    private static partial void LogDueWorkFailed(ILogger logger, Exception exception);
}
