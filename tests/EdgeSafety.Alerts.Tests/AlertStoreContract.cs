using EdgeSafety.Alerts.Store;
using EdgeSafety.Notifications;
using EdgeSafety.TestSupport;
using Xunit.Abstractions;

namespace EdgeSafety.Alerts.Tests;

/// <summary>
/// What the alert store and engine promise, run against each database (as Azure/iotedge runs one store contract
/// against each backend): SQLite below in <see cref="SqliteAlertStoreTests"/>, PostgreSQL in
/// <see cref="PostgresAlertStoreTests"/>.
/// </summary>
public abstract class AlertStoreContract(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;

    protected AlertTestBed Bed { get; private set; } = null!;

    /// <summary>Store settings for a fresh, empty database; called again on restart and must give the same database.</summary>
    protected abstract Task<Func<AlertStoreOptions>> NewDatabaseAsync();

    public async Task InitializeAsync() => Bed = await AlertTestBed.CreateAsync(await NewDatabaseAsync(), output);

    public async Task DisposeAsync()
    {
        Bed.Log.Errors.Should().BeEmpty();
        await Bed.DisposeAsync();
    }

    [Fact]
    public async Task A_repeat_refreshes_the_open_alert_instead_of_raising_another()
    {
        var engine = await Bed.StartEngineAsync();
        var first = await engine.HandleAsync(AlertTestBed.Charging(at: AlertTestBed.Start), None);
        var repeat = await engine.HandleAsync(AlertTestBed.Charging(at: AlertTestBed.Start.AddSeconds(30)), None);

        first.Effect.Should().Be(SignalEffect.Raised);
        repeat.Effect.Should().Be(SignalEffect.Refreshed);
        repeat.Alert!.Id.Should().Be(first.Alert!.Id);
        repeat.Alert.Count.Should().Be(2);
        repeat.Alert.LastSeen.Should().Be(AlertTestBed.Start.AddSeconds(30));
        repeat.Alert.Unit.Should().Be("room-301");
        repeat.Alert.Building.Should().Be("block-3");
        repeat.Alert.Severity.Should().Be(AlertSeverity.Critical);
        (await engine.Store.ListAlertsAsync(new AlertQuery(), None)).Should().ContainSingle();
        (await engine.Store.DeliveriesAsync(first.Alert.Id, None)).Should().ContainSingle("the landlord is told once, not per repeat");
    }

    [Fact]
    public async Task Identical_triggers_at_the_same_instant_on_two_instances_make_one_alert_with_count_2()
    {
        var engines = new[] { await Bed.StartEngineAsync(), await Bed.StartEngineAsync() };
        var devices = Enumerable.Range(1, 20).Select(i => $"meter-{i:000}").ToList();

        // Both instances, and two tasks on each, at once: the database alone decides which insert wins.
        await Task.WhenAll(devices.SelectMany(device => engines.Select(engine => Task.Run(() => engine.HandleAsync(AlertTestBed.Charging(device), None)))));

        var alerts = await engines[0].Store.ListAlertsAsync(new AlertQuery(), None);
        alerts.Should().HaveCount(devices.Count);
        alerts.Should().OnlyContain(a => a.Count == 2);
        foreach (var alert in alerts)
        {
            // Unknown meters on the gateway of block-3: no landlord, so its two wardens, told once each.
            (await engines[1].Store.DeliveriesAsync(alert.Id, None)).Should().HaveCount(2);
        }
    }

    [Fact]
    public async Task The_whole_loop_records_every_transition_with_who_and_when()
    {
        var engine = await Bed.StartEngineAsync();
        var alert = (await engine.HandleAsync(AlertTestBed.Charging(), None)).Alert!;
        await engine.RunDueWorkAsync(None);
        (await engine.Store.GetAlertAsync(alert.Id, None))!.State.Should().Be(AlertState.Notified);

        Bed.Clock.Advance(TimeSpan.FromMinutes(2));
        await engine.AcknowledgeAsync(alert.Id, "landlord-chen", None);
        Bed.Clock.Advance(TimeSpan.FromMinutes(1));
        var order = await engine.DispatchAsync(alert.Id, null, "landlord-chen", None);
        order.Warden.Should().Be("warden-near", "the nearest warden of the area is chosen when none is named");
        Bed.Clock.Advance(TimeSpan.FromMinutes(1));
        await engine.AcceptWorkOrderAsync(order.Id, "warden-near", None);
        Bed.Clock.Advance(TimeSpan.FromMinutes(20));
        var resolved = await engine.GiveFeedbackAsync(order.Id, "warden-near", "Battery taken to the shed; tenant warned.", None);
        resolved.State.Should().Be(AlertState.Resolved);
        resolved.Feedback.Should().Be("Battery taken to the shed; tenant warned.");
        Bed.Clock.Advance(TimeSpan.FromMinutes(5));
        var closed = await engine.CloseAsync(alert.Id, "warden-near", None);

        closed.State.Should().Be(AlertState.Closed);
        closed.ClosedAt.Should().Be(AlertTestBed.Start.AddMinutes(29));
        var history = await engine.Store.HistoryAsync(alert.Id, None);
        history.Select(h => (h.Action, h.Actor, h.From, h.To)).Should().Equal(
            ("raised", "system", null, AlertState.Raised),
            ("notified", "system", AlertState.Raised, AlertState.Notified),
            ("acknowledged", "landlord-chen", AlertState.Notified, AlertState.Acknowledged),
            ("dispatched", "landlord-chen", AlertState.Acknowledged, AlertState.Dispatched),
            ("work-order-accepted", "warden-near", null, AlertState.Dispatched),
            ("resolved", "warden-near", AlertState.Dispatched, AlertState.Resolved),
            ("closed", "warden-near", AlertState.Resolved, AlertState.Closed));
        history.Select(h => h.At).Should().BeInAscendingOrder();
        history.Single(h => h.Action == "acknowledged").At.Should().Be(AlertTestBed.Start.AddMinutes(2));
        (await engine.Store.WorkOrdersAsync(alert.Id, None)).Single().State.Should().Be(WorkOrderState.Closed);

        // The landlord's view shows the progress of the work order.
        var landlordUnits = (await engine.RegistryAsync()).UnitsOf("landlord-chen");
        (await engine.Store.ListAlertsAsync(new AlertQuery(OpenOnly: false, Units: landlordUnits), None)).Single().Id.Should().Be(alert.Id);

        // Once closed, the same condition is a new alert.
        (await engine.HandleAsync(AlertTestBed.Charging(at: AlertTestBed.Start.AddHours(1)), None)).Alert!.Id.Should().NotBe(alert.Id);
    }

    [Fact]
    public async Task Transitions_the_lifecycle_does_not_allow_are_refused_and_change_nothing()
    {
        var engine = await Bed.StartEngineAsync();
        var alert = (await engine.HandleAsync(AlertTestBed.Charging(), None)).Alert!;

        var close = () => engine.CloseAsync(alert.Id, "landlord-chen", None);
        (await close.Should().ThrowAsync<InvalidTransitionException>()).WithMessage("Alert * is raised: it cannot become closed (only from resolved).");
        await FluentActions.Awaiting(() => engine.ResolveAsync(alert.Id, "landlord-chen", "done", None)).Should().ThrowAsync<InvalidTransitionException>();
        await FluentActions.Awaiting(() => engine.DispatchAsync(alert.Id, "landlord-chen", "x", None)).Should().ThrowAsync<AlertRequestException>()
            .WithMessage("*not a warden*");
        await engine.AcknowledgeAsync(alert.Id, "landlord-chen", None);
        await FluentActions.Awaiting(() => engine.AcknowledgeAsync(alert.Id, "landlord-chen", None)).Should().ThrowAsync<InvalidTransitionException>();
        await FluentActions.Awaiting(() => engine.ResolveAsync(alert.Id, "landlord-chen", "  ", None)).Should().ThrowAsync<AlertRequestException>();
        await FluentActions.Awaiting(() => engine.AcknowledgeAsync(999_999, "landlord-chen", None)).Should().ThrowAsync<NotFoundException>();
        var order = await engine.DispatchAsync(alert.Id, "warden-far", "landlord-chen", None);
        await FluentActions.Awaiting(() => engine.GiveFeedbackAsync(order.Id, "warden-far", "notes", None)).Should().ThrowAsync<AlertRequestException>()
            .WithMessage("*must be Accepted*");

        var stored = (await engine.Store.GetAlertAsync(alert.Id, None))!;
        stored.State.Should().Be(AlertState.Dispatched);
        (await engine.Store.HistoryAsync(alert.Id, None)).Select(h => h.Action).Should().Equal("raised", "acknowledged", "dispatched");
    }

    [Fact]
    public async Task A_flapping_condition_refreshes_its_alert_and_only_a_return_after_the_flap_window_tells_people_again()
    {
        var engine = await Bed.StartEngineAsync(o => o.FlapWindow = TimeSpan.FromMinutes(10));
        var start = AlertTestBed.Start;
        var raised = (await engine.HandleAsync(AlertTestBed.Noise(at: start), None)).Alert!;
        (await engine.HandleAsync(AlertTestBed.Noise(active: false, at: start.AddMinutes(1)), None)).Effect.Should().Be(SignalEffect.Cleared);
        var flap = await engine.HandleAsync(AlertTestBed.Noise(at: start.AddMinutes(3)), None);
        (await engine.HandleAsync(AlertTestBed.Noise(active: false, at: start.AddMinutes(4)), None)).Effect.Should().Be(SignalEffect.Cleared);
        var recurred = await engine.HandleAsync(AlertTestBed.Noise(at: start.AddMinutes(30)), None);

        flap.Effect.Should().Be(SignalEffect.Refreshed);
        recurred.Effect.Should().Be(SignalEffect.Recurred);
        recurred.Alert!.Id.Should().Be(raised.Id);
        recurred.Alert.Count.Should().Be(3);
        recurred.Alert.ClearedAt.Should().BeNull();
        (await engine.Store.ListAlertsAsync(new AlertQuery(), None)).Should().ContainSingle();
        (await engine.Store.HistoryAsync(raised.Id, None)).Select(h => h.Action).Should().Equal("raised", "cleared", "cleared", "recurred");
        // A building's sensor has no landlord: its two wardens are told when it is raised and when it recurs, not on the flap.
        (await engine.Store.DeliveriesAsync(raised.Id, None)).Select(d => d.Reason).Should().Equal(
            DeliveryReason.Raised, DeliveryReason.Raised, DeliveryReason.Recurred, DeliveryReason.Recurred);
        (await engine.HandleAsync(AlertTestBed.Noise(active: false, at: start.AddMinutes(31)), None)).Effect.Should().Be(SignalEffect.Cleared);
        (await engine.HandleAsync(AlertTestBed.Noise(active: false, at: start.AddMinutes(32)), None)).Effect.Should().Be(SignalEffect.Ignored);
    }

    [Fact]
    public async Task An_escalation_due_during_a_restart_still_happens_on_time_and_goes_to_the_nearest_warden_first()
    {
        var engine = await Bed.StartEngineAsync();
        var alert = (await engine.HandleAsync(AlertTestBed.Charging(), None)).Alert!;
        alert.EscalateAt.Should().Be(AlertTestBed.Start.AddMinutes(15));
        Bed.Clock.Advance(TimeSpan.FromMinutes(14));
        (await engine.RunDueWorkAsync(None)).Escalated.Should().Be(0);

        // The process stops; the store's connections close; a new process opens the same database.
        await Bed.StopEnginesAsync();
        Bed.Clock.Advance(TimeSpan.FromSeconds(59));
        var restarted = await Bed.StartEngineAsync();
        (await restarted.RunDueWorkAsync(None)).Escalated.Should().Be(0, "14:59 after raising is not yet due");
        Bed.Clock.Advance(TimeSpan.FromSeconds(1));
        (await restarted.RunDueWorkAsync(None)).Escalated.Should().Be(1);
        (await restarted.RunDueWorkAsync(None)).Escalated.Should().Be(0, "an alert escalates once");

        var stored = (await restarted.Store.GetAlertAsync(alert.Id, None))!;
        stored.EscalatedAt.Should().Be(AlertTestBed.Start.AddMinutes(15));
        stored.EscalateAt.Should().BeNull();
        var escalations = (await restarted.Store.DeliveriesAsync(alert.Id, None)).Where(d => d.Reason == DeliveryReason.Escalated).ToList();
        escalations.Select(d => d.Person).Should().Equal("warden-near", "warden-far");
        escalations.Should().OnlyContain(d => d.State == DeliveryState.Delivered);
        Bed.Receiver.Requests.Select(r => r.Path).Should().Contain(["/hooks/warden-near", "/hooks/warden-far"]);
        (await restarted.Store.HistoryAsync(alert.Id, None)).Should().ContainSingle(h => h.Action == "escalated" && h.At == AlertTestBed.Start.AddMinutes(15));
    }

    [Fact]
    public async Task An_acknowledged_alert_does_not_escalate()
    {
        var engine = await Bed.StartEngineAsync();
        var alert = (await engine.HandleAsync(AlertTestBed.Charging(), None)).Alert!;
        Bed.Clock.Advance(TimeSpan.FromMinutes(5));
        await engine.AcknowledgeAsync(alert.Id, "landlord-chen", None);
        Bed.Clock.Advance(TimeSpan.FromHours(1));
        (await engine.RunDueWorkAsync(None)).Escalated.Should().Be(0);
        (await engine.Store.DeliveriesAsync(alert.Id, None)).Should().OnlyContain(d => d.Reason == DeliveryReason.Raised);
    }

    [Fact]
    public async Task A_unit_that_offends_again_within_the_period_is_flagged_for_enforcement()
    {
        var engine = await Bed.StartEngineAsync(o => o.RepeatOffencePeriod = TimeSpan.FromDays(30));
        var first = (await engine.HandleAsync(AlertTestBed.Charging(), None)).Alert!;
        first.FlaggedForEnforcement.Should().BeFalse();
        await CloseAsync(engine, first.Id);

        Bed.Clock.Advance(TimeSpan.FromDays(10));
        var second = (await engine.HandleAsync(AlertTestBed.Charging(at: Bed.Clock.GetUtcNow()), None)).Alert!;
        second.FlaggedForEnforcement.Should().BeTrue();
        await CloseAsync(engine, second.Id);

        Bed.Clock.Advance(TimeSpan.FromDays(31));
        (await engine.HandleAsync(AlertTestBed.Charging(at: Bed.Clock.GetUtcNow()), None)).Alert!.FlaggedForEnforcement.Should().BeFalse();
        (await engine.Store.ListAlertsAsync(new AlertQuery(OpenOnly: false, FlaggedOnly: true), None)).Select(a => a.Id).Should().Equal(second.Id);
    }

    [Fact]
    public async Task A_failing_receiver_is_retried_with_backoff_and_every_attempt_is_recorded()
    {
        Bed.Receiver.ReplyInTurn(new HttpReply(503), new HttpReply(500), new HttpReply(200, "{}"));
        var engine = await Bed.StartEngineAsync(o => (o.RetryDelayMin, o.RetryDelayMax) = (TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5)));
        var alert = (await engine.HandleAsync(AlertTestBed.Charging(), None)).Alert!;

        (await engine.RunDueWorkAsync(None)).Attempted.Should().Be(1);
        Bed.Clock.Advance(TimeSpan.FromSeconds(9));
        (await engine.RunDueWorkAsync(None)).Attempted.Should().Be(0, "the first retry waits 10 s");
        Bed.Clock.Advance(TimeSpan.FromSeconds(1));
        (await engine.RunDueWorkAsync(None)).Attempted.Should().Be(1);
        Bed.Clock.Advance(TimeSpan.FromSeconds(19));
        (await engine.RunDueWorkAsync(None)).Attempted.Should().Be(0, "the second retry waits 20 s");
        Bed.Clock.Advance(TimeSpan.FromSeconds(1));
        (await engine.RunDueWorkAsync(None)).Attempted.Should().Be(1);

        var delivery = (await engine.Store.DeliveriesAsync(alert.Id, None)).Single();
        delivery.State.Should().Be(DeliveryState.Delivered);
        delivery.Attempts.Should().Be(3);
        var attempts = await engine.Store.AttemptsAsync(delivery.Id, None);
        attempts.Select(a => (a.Outcome, a.StatusCode)).Should().Equal(("transient-failure", 503), ("transient-failure", 500), ("delivered", 200));
        Bed.Receiver.Requests.Should().HaveCount(3);
        Bed.Receiver.Requests.Select(r => r.Header("X-EdgeSafety-Notification-Id")).Distinct().Should().ContainSingle("a retry is the same notification");
        (await engine.Store.GetAlertAsync(alert.Id, None))!.State.Should().Be(AlertState.Notified);
        Bed.Log.Entries.Count(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning).Should().Be(2);
    }

    [Fact]
    public async Task A_permanent_failure_or_the_last_attempt_ends_the_delivery_as_failed()
    {
        Bed.Receiver.Respond = _ => new HttpReply(503);
        var engine = await Bed.StartEngineAsync(o => (o.MaxAttempts, o.RetryDelayMin) = (2, TimeSpan.FromSeconds(1)));
        var alert = (await engine.HandleAsync(AlertTestBed.Charging(), None)).Alert!;
        await engine.RunDueWorkAsync(None);
        Bed.Clock.Advance(TimeSpan.FromSeconds(1));
        await engine.RunDueWorkAsync(None);
        Bed.Clock.Advance(TimeSpan.FromHours(1));
        await engine.RunDueWorkAsync(None);

        var delivery = (await engine.Store.DeliveriesAsync(alert.Id, None)).First();
        delivery.Person.Should().Be("landlord-chen");
        delivery.State.Should().Be(DeliveryState.Failed);
        delivery.Attempts.Should().Be(2, "it is not attempted again an hour later");
        delivery.LastDetail.Should().Contain("503");
        (await engine.Store.GetAlertAsync(alert.Id, None))!.State.Should().Be(AlertState.Raised, "nobody was notified");
    }

    [Fact]
    public async Task Quiet_hours_hold_a_warning_until_morning_but_not_a_fire_risk()
    {
        // 23:30 in Shanghai: inside the landlord's 22:00-07:00 quiet hours.
        Bed.Clock.SetUtcNow(new DateTimeOffset(2025, 3, 3, 15, 30, 0, TimeSpan.Zero));
        var engine = await Bed.StartEngineAsync();
        var noise = new AlertSignal(AlertKind.NightNoiseBurst, true, "haizhu", "gw-01", "meter-302", "room-302", Bed.Clock.GetUtcNow(), new Dictionary<string, string>());
        var held = (await engine.HandleAsync(noise, None)).Alert!;
        var fire = (await engine.HandleAsync(AlertTestBed.Charging(at: Bed.Clock.GetUtcNow()), None)).Alert!;

        (await engine.Store.DeliveriesAsync(held.Id, None)).Single().NextAttemptAt.Should().Be(new DateTimeOffset(2025, 3, 4, 7, 0, 0, TimeSpan.FromHours(8)));
        (await engine.Store.DeliveriesAsync(fire.Id, None)).Single().NextAttemptAt.Should().Be(Bed.Clock.GetUtcNow());
        (await engine.RunDueWorkAsync(None)).Attempted.Should().Be(1);
        Bed.Receiver.Requests.Should().ContainSingle().Which.BodyText.Should().Contain("ebike-charging");
    }

    [Fact]
    public async Task An_assignment_made_by_another_process_reaches_the_engine_and_survives_the_next_seed()
    {
        var ingest = await Bed.StartEngineAsync();
        var dashboard = await Bed.StartEngineAsync();
        await dashboard.Store.AssignDeviceAsync(new DeviceAssignment("haizhu", "meter-new", Unit: "room-302"), None);
        await dashboard.Store.AddPushSubscriptionAsync("landlord-chen", "https://push.example.org/sub/1", new WebPushKeys("p256dh", "auth"),
            AlertTestBed.Start, None);

        await ingest.RunDueWorkAsync(None);
        var alert = (await ingest.HandleAsync(AlertTestBed.Charging(device: "meter-new"), None)).Alert!;
        alert.Unit.Should().Be("room-302", "the engine reloads the registry when another process changed it");

        // Ingest restarts: the file seeds the registry again, and keeps what was set in the store.
        var restarted = await Bed.StartEngineAsync();
        var registry = await restarted.RegistryAsync();
        registry.Locate(AlertTestBed.Charging(device: "meter-new")).Unit.Should().Be("room-302");
        registry.Person("landlord-chen")!.Notifications.Targets.Should().Contain(t => t.Channel == NotificationChannel.WebPush
            && t.Address == "https://push.example.org/sub/1");
        registry.Locate(AlertTestBed.Charging(device: "meter-301")).Unit.Should().Be("room-301", "the file's own assignments are still seeded");
    }

    [Fact]
    public async Task Reports_count_per_kind_and_building_against_the_previous_period_with_median_times()
    {
        var engine = await Bed.StartEngineAsync();
        var week = AlertTestBed.Start.AddDays(7); // Monday 10 March, 10:00 local
        // Previous week: four e-bike alerts in block-3 (distinct devices, so four alerts).
        for (var i = 0; i < 4; i++)
        {
            await engine.HandleAsync(AlertTestBed.Charging(device: $"meter-p{i}", unit: "room-301"), None);
        }

        // This week: two, acknowledged after 4 and 10 minutes, one closed after 60.
        Bed.Clock.SetUtcNow(week.AddDays(1));
        var a = (await engine.HandleAsync(AlertTestBed.Charging(device: "meter-a", unit: "room-301"), None)).Alert!;
        var b = (await engine.HandleAsync(AlertTestBed.Charging(device: "meter-b", unit: "room-302"), None)).Alert!;
        Bed.Clock.Advance(TimeSpan.FromMinutes(4));
        await engine.AcknowledgeAsync(a.Id, "landlord-chen", None);
        Bed.Clock.Advance(TimeSpan.FromMinutes(6));
        await engine.AcknowledgeAsync(b.Id, "landlord-chen", None);
        await engine.ResolveAsync(a.Id, "landlord-chen", "tenant unplugged it", None);
        Bed.Clock.Advance(TimeSpan.FromMinutes(50));
        await engine.CloseAsync(a.Id, "landlord-chen", None);

        var report = await new AlertReports(engine.Store, Bed.Options).BuildAsync(ReportPeriod.Week, week.AddDays(2), None);

        report.From.Should().Be(new DateTimeOffset(2025, 3, 10, 0, 0, 0, TimeSpan.FromHours(8)));
        report.Total.Should().Be(2);
        report.PreviousTotal.Should().Be(4);
        report.ChangePercent.Should().Be(-50);
        report.Summary.Should().Be("alarms down 50% on the previous period");
        report.Rows.Should().ContainSingle().Which.Should().Be(new ReportRow("ebike-charging", "block-3", 2, 4, -50));
        report.MedianMinutesToAcknowledge.Should().Be(7);
        report.MedianMinutesToClose.Should().Be(60);
        AlertReports.Summary(AlertReports.Change(203, 400)).Should().Be("alarms down 49.25% on the previous period");
    }

    private async Task CloseAsync(AlertEngine engine, long alertId)
    {
        await engine.AcknowledgeAsync(alertId, "landlord-chen", None);
        await engine.ResolveAsync(alertId, "landlord-chen", "handled", None);
        await engine.CloseAsync(alertId, "landlord-chen", None);
    }
}

public sealed class SqliteAlertStoreTests(ITestOutputHelper output) : AlertStoreContract(output), IDisposable
{
    private readonly TemporaryDirectory _directory = new("alerts-sqlite");

    protected override Task<Func<AlertStoreOptions>> NewDatabaseAsync() =>
        Task.FromResult<Func<AlertStoreOptions>>(() => new AlertStoreOptions { SqlitePath = _directory.Combine("alerts.db") });

    public void Dispose() => _directory.Dispose();
}

/// <summary>One PostgreSQL server for the class; each test has its own database in it.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public PostgresServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await PostgresServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

public sealed class PostgresAlertStoreTests(PostgresFixture postgres, ITestOutputHelper output) : AlertStoreContract(output), IClassFixture<PostgresFixture>
{
    protected override async Task<Func<AlertStoreOptions>> NewDatabaseAsync()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        return () => new AlertStoreOptions { Provider = AlertStoreProvider.PostgreSql, PostgreSqlConnectionString = connectionString };
    }
}
