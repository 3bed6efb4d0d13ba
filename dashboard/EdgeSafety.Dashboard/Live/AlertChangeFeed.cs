using EdgeSafety.Alerts;
using EdgeSafety.Alerts.Store;
using Microsoft.Extensions.Options;

namespace EdgeSafety.Dashboard.Live;

/// <summary>
/// Pushes every alert change to open pages, whoever made it: ingest raising or escalating, a delivery marking it
/// notified, a user here or on another dashboard instance. Each change writes a row of alert_history in the same
/// transaction, so following that table from its latest row is complete and needs nothing from the writers. It also
/// reloads the registry when it changed (an installer's assignment, a re-seed by ingest).
/// </summary>
public sealed partial class AlertChangeFeed(AlertEngine engine, CurrentRegistry registry, LiveHub live, IOptions<DashboardOptions> options,
    TimeProvider time, ILogger<AlertChangeFeed> logger) : BackgroundService
{
    private const int Batch = 500;
    private long _position;

    /// <summary>Opens (creates or migrates) the shared store before the dashboard serves.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await engine.InitializeAsync(cancellationToken);
        _position = await engine.Store.LatestChangeAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.AlertPollInterval, time);
        var failing = false;
        while (await NextTickAsync(timer, stoppingToken))
        {
            try
            {
                await engine.RefreshRegistryAsync(stoppingToken);
                await PublishChangesAsync(stoppingToken);
                failing = false;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Once per outage, not four times a second.
                if (!failing)
                {
                    LogFailed(logger, ex);
                }

                failing = true;
            }
        }
    }

    /// <summary>False when the service stops.</summary>
    private static async Task<bool> NextTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task PublishChangesAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<AlertChange> changes;
        do
        {
            changes = await engine.Store.ChangesAfterAsync(_position, Batch, cancellationToken);
            if (changes.Count == 0)
            {
                return;
            }

            var workOrders = await engine.Store.OpenWorkOrdersAsync(cancellationToken);
            var now = time.GetUtcNow();
            foreach (var alertId in changes.Select(c => c.AlertId).Distinct())
            {
                if (await engine.Store.GetAlertAsync(alertId, cancellationToken) is { } alert)
                {
                    live.Publish(new LiveEvent("alert", alert.Site, alert.Building, alert.Unit,
                        AlertView.Of(alert, registry.Value, AlertView.OwnerOf(alert.Id, workOrders), now)));
                }
            }

            _position = changes[^1].Position;
        }
        while (changes.Count == Batch);
    }

    [LoggerMessage(EventId = 3020, Level = LogLevel.Error, Message = "Could not read alert changes from the store; pages get them when it answers again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
