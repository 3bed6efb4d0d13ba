using EdgeSafety.Alerts.Store;
using EdgeSafety.Notifications;
using Microsoft.Extensions.Logging;

namespace EdgeSafety.Alerts;

/// <summary>
/// Turns signals into alerts and alerts into notifications: raises or refreshes the alert in the store, plans who
/// is told on which channel (preferences, quiet hours), escalates what nobody acknowledged, and attempts due
/// deliveries with retries. Every due time lives in the store, so a restart (or another instance) picks the work up
/// where it was; nothing is scheduled in memory but the next look at the store.
/// </summary>
public sealed partial class AlertEngine(AlertStore store, AlertOptions options, NotificationSender sender, TimeProvider time, ILogger<AlertEngine> logger)
{
    private readonly TimeZoneInfo _timeZone = TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone);
    private readonly TaskCompletionSource<Registry> _registry = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LoadedRegistryVersion? _loaded;
    private readonly SemaphoreSlim _wake = new(0, 1);

    public AlertStore Store => store;

    /// <summary>Creates or migrates the store, seeds the registry from the configured file, and loads it.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var seed = string.IsNullOrEmpty(options.RegistryPath) ? null : RegistryDocument.Load(options.RegistryPath);
        await store.InitializeAsync(seed, cancellationToken);
        var registry = await RefreshRegistryAsync(cancellationToken);
        LogReady(logger, registry.Document.Units.Count, registry.Document.People.Count);
        _registry.TrySetResult(registry);
    }

    /// <summary>The registry as last loaded, without waiting (null before the first load); a new object after each reload.</summary>
    public Registry? LoadedRegistry => Volatile.Read(ref _loaded)?.Registry;

    /// <summary>The registry as last loaded; waits for the first load.</summary>
    public async Task<Registry> RegistryAsync() => LoadedRegistry ?? await _registry.Task;

    /// <summary>
    /// Reloads the registry if it changed in the store since the last look (another process, such as the dashboard
    /// assigning a device, may change it); one small query when it did not. Concurrent reloads never put an older
    /// load back over a newer one.
    /// </summary>
    public async Task<Registry> RefreshRegistryAsync(CancellationToken cancellationToken)
    {
        var version = await store.RegistryVersionAsync(cancellationToken);
        if (Volatile.Read(ref _loaded) is not { } known || version > known.Version)
        {
            var fresh = new LoadedRegistryVersion(version, new Registry(await store.LoadRegistryAsync(cancellationToken)));
            var current = Volatile.Read(ref _loaded);
            while ((current is null || current.Version < fresh.Version)
                && Interlocked.CompareExchange(ref _loaded, fresh, current) is var seen && !ReferenceEquals(seen, current))
            {
                current = seen;
            }
        }

        return Volatile.Read(ref _loaded)!.Registry;
    }

    public async Task<SignalOutcome> HandleAsync(AlertSignal signal, CancellationToken cancellationToken)
    {
        var registry = await RegistryAsync();
        var (unit, building) = registry.Locate(signal);
        var now = time.GetUtcNow();
        // A unit's alert goes to its landlord; one with no landlord (a shared sensor, a gateway) to the area's wardens.
        var people = registry.LandlordsOf(unit).ToList() is { Count: > 0 } landlords ? landlords : registry.WardensFor(building);
        var outcome = await store.RecordSignalAsync(signal, unit, building, now, options.Timings, Plan(people, signal.Kind, now), cancellationToken);
        if (outcome.Effect is SignalEffect.Raised or SignalEffect.Recurred)
        {
            LogRaised(logger, outcome.Alert!.Id, signal.Kind, outcome.Alert.Subject, outcome.Effect);
            Wake();
        }

        return outcome;
    }

    public async Task<Alert> AcknowledgeAsync(long alertId, string actor, CancellationToken cancellationToken)
    {
        await _registry.Task;
        return await store.AcknowledgeAsync(alertId, actor, time.GetUtcNow(), cancellationToken);
    }

    /// <summary>Dispatches to the named warden, or with none named to the nearest warden of the alert's area.</summary>
    public async Task<WorkOrder> DispatchAsync(long alertId, string? warden, string actor, CancellationToken cancellationToken)
    {
        var registry = await RegistryAsync();
        var alert = await store.GetAlertAsync(alertId, cancellationToken) ?? throw new NotFoundException($"There is no alert {alertId}.");
        var person = warden is null
            ? registry.WardensFor(alert.Building).FirstOrDefault()
                ?? throw new AlertRequestException($"No warden covers the area of alert {alertId}; name one.")
            : registry.Person(warden) is { Role: PersonRole.Warden } named ? named
                : throw new AlertRequestException($"'{warden}' is not a warden in the registry.");
        var now = time.GetUtcNow();
        var order = await store.DispatchAsync(alertId, person.Id, actor, now, Plan([person], alert.Kind, now, assigned: true), cancellationToken);
        Wake();
        return order;
    }

    public async Task<WorkOrder> AcceptWorkOrderAsync(long workOrderId, string actor, CancellationToken cancellationToken)
    {
        await _registry.Task;
        return await store.AcceptWorkOrderAsync(workOrderId, actor, time.GetUtcNow(), cancellationToken);
    }

    public async Task<Alert> GiveFeedbackAsync(long workOrderId, string actor, string notes, CancellationToken cancellationToken)
    {
        await _registry.Task;
        return await store.GiveFeedbackAsync(workOrderId, actor, RequireText(notes, "notes"), time.GetUtcNow(), cancellationToken);
    }

    public async Task<Alert> ResolveAsync(long alertId, string actor, string feedback, CancellationToken cancellationToken)
    {
        await _registry.Task;
        return await store.ResolveAsync(alertId, actor, RequireText(feedback, "feedback"), time.GetUtcNow(), cancellationToken);
    }

    public async Task<Alert> CloseAsync(long alertId, string actor, CancellationToken cancellationToken)
    {
        await _registry.Task;
        return await store.CloseAsync(alertId, actor, time.GetUtcNow(), cancellationToken);
    }

    /// <summary>Escalates what is overdue and attempts the deliveries that are due; returns how many of each it handled.</summary>
    public async Task<(int Escalated, int Attempted)> RunDueWorkAsync(CancellationToken cancellationToken)
    {
        await _registry.Task;
        var registry = await RefreshRegistryAsync(cancellationToken);
        const int batch = 200;
        var escalated = 0;
        IReadOnlyList<Alert> due;
        do
        {
            var now = time.GetUtcNow();
            due = await store.EscalateDueAsync(now, alert => Plan(registry.WardensFor(alert.Building), alert.Kind, now), batch, cancellationToken);
            foreach (var alert in due)
            {
                LogEscalated(logger, alert.Id, alert.Kind, alert.Subject);
            }

            escalated += due.Count;
        }
        while (due.Count == batch);

        var attempted = 0;
        IReadOnlyList<Delivery> deliveries;
        do
        {
            var now = time.GetUtcNow();
            deliveries = await store.ClaimDueDeliveriesAsync(now, now + options.DeliveryLease, batch, cancellationToken);
            await Parallel.ForEachAsync(deliveries, new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelDeliveries, CancellationToken = cancellationToken },
                (delivery, ct) => new ValueTask(AttemptAsync(registry, delivery, ct)));
            attempted += deliveries.Count;
        }
        while (deliveries.Count == batch);

        return (escalated, attempted);
    }

    /// <summary>Waits until new work is signalled or the poll interval passes (on the engine's clock).</summary>
    public async Task WaitForWorkAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.PollInterval);
        try
        {
            await _wake.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The poll interval passed: look at the store for due work.
        }
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up serves every new piece of work.
        }
    }

    private async Task AttemptAsync(Registry registry, Delivery delivery, CancellationToken cancellationToken)
    {
        var alert = await store.GetAlertAsync(delivery.AlertId, cancellationToken);
        var target = registry.Person(delivery.Person)?.Notifications.Targets.ElementAtOrDefault(delivery.Target);
        var outcome = alert is null || target is null
            ? new DeliveryOutcome(DeliveryStatus.PermanentFailure, $"{delivery.Person}'s target {delivery.Target} is no longer in the registry")
            : await sender.SendAsync(target, Notification(alert, delivery), cancellationToken);
        var now = time.GetUtcNow();
        var attempt = new DeliveryAttempt(delivery.Id, now, AlertTexts.KebabCase(outcome.Status.ToString()), outcome.Detail, outcome.StatusCode,
            outcome.Elapsed.TotalMilliseconds);
        var attempts = delivery.Attempts + 1;
        DateTimeOffset? retryAt = null;
        if (outcome.Status == DeliveryStatus.TransientFailure && attempts < options.MaxAttempts)
        {
            var backoff = TimeSpan.FromTicks(Math.Min(options.RetryDelayMax.Ticks, options.RetryDelayMin.Ticks * (1L << Math.Min(attempts - 1, 30))));
            retryAt = now + (outcome.RetryAfter is { } asked && asked > backoff ? asked : backoff);
        }

        await store.RecordAttemptAsync(delivery, attempt, outcome.IsDelivered, retryAt, cancellationToken);
        if (!outcome.IsDelivered)
        {
            LogDeliveryFailed(logger, delivery.Id, delivery.Channel, delivery.Person, attempts, outcome.Detail, retryAt is null ? "given up" : $"retry at {retryAt:O}");
        }
    }

    private AlertNotification Notification(Alert alert, Delivery delivery) => new()
    {
        NotificationId = $"delivery-{delivery.Id}",
        AlertId = alert.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Kind = AlertTexts.KebabCase(alert.Kind.ToString()),
        Severity = AlertTexts.KebabCase(alert.Severity.ToString()),
        State = delivery.Reason == DeliveryReason.Escalated ? "escalated" : AlertTexts.KebabCase(alert.State.ToString()),
        Title = AlertTexts.Title(alert.Kind, delivery.Reason),
        Body = AlertTexts.Body(alert.Kind, delivery.Reason),
        Site = alert.Site,
        Building = alert.Building,
        Unit = alert.Unit,
        Device = string.IsNullOrEmpty(alert.Device) ? null : alert.Device,
        RaisedAt = alert.RaisedAt,
        Count = alert.Count,
        Evidence = alert.Evidence,
        Link = options.DashboardUrl is null ? null : new Uri(options.DashboardUrl, $"alerts/{alert.Id}"),
    };

    /// <summary>
    /// One delivery per target of each person who wants this kind; inside a person's quiet hours it waits for
    /// their end, unless the alert is severe enough to wake them. A warden <paramref name="assigned"/> a work order
    /// is told at once whatever the kind.
    /// </summary>
    private List<PlannedDelivery> Plan(IEnumerable<Person> people, AlertKind kind, DateTimeOffset now, bool assigned = false)
    {
        var severe = AlertKinds.SeverityOf(kind) >= options.QuietHoursBypassSeverity;
        var planned = new List<PlannedDelivery>();
        foreach (var person in people.Where(p => assigned || p.Notifications.Wants(kind)))
        {
            var due = assigned || severe || person.Notifications.QuietHours is not { } quiet ? now : QuietUntil(quiet, now);
            planned.AddRange(person.Notifications.Targets.Select((target, index) => new PlannedDelivery(person.Id, index, target.Channel.ToString(), due)));
        }

        return planned;
    }

    /// <summary>Now, or the end of the quiet hours that contain now, in the installation's time zone.</summary>
    private DateTimeOffset QuietUntil(QuietHours quiet, DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, _timeZone);
        if (!quiet.Contains(TimeOnly.FromDateTime(local.DateTime)))
        {
            return now;
        }

        var end = local.Date + quiet.End.ToTimeSpan();
        if (end <= local.DateTime)
        {
            end = end.AddDays(1);
        }

        return new DateTimeOffset(end, _timeZone.GetUtcOffset(end));
    }

    private static string RequireText(string text, string what) =>
        string.IsNullOrWhiteSpace(text) ? throw new AlertRequestException($"The {what} must not be empty.") : text.Trim();

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Alert store ready: {Units} units, {People} people in the registry")]
    private static partial void LogReady(ILogger logger, int units, int people);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Alert {AlertId} {Kind} for {Subject}: {Effect}")]
    private static partial void LogRaised(ILogger logger, long alertId, AlertKind kind, string subject, SignalEffect effect);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Alert {AlertId} {Kind} for {Subject} was not acknowledged in time: escalated")]
    private static partial void LogEscalated(ILogger logger, long alertId, AlertKind kind, string subject);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "Delivery {DeliveryId} ({Channel} to {Person}) attempt {Attempt} failed: {Detail}; {Next}")]
    private static partial void LogDeliveryFailed(ILogger logger, long deliveryId, string channel, string person, int attempt, string detail, string next);

    /// <summary>A loaded registry and the store's registry version it was loaded at (or after).</summary>
    private sealed record LoadedRegistryVersion(long Version, Registry Registry);
}
