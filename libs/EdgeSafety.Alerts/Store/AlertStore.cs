using System.Data.Common;
using System.Text.Json;
using EdgeSafety.Notifications;

namespace EdgeSafety.Alerts.Store;

/// <summary>A notification to create: whom, on which of their targets, from when (later inside quiet hours).</summary>
public sealed record PlannedDelivery(string Person, int Target, string Channel, DateTimeOffset Due);

/// <summary>What a signal did to the store.</summary>
public enum SignalEffect
{
    /// <summary>A new alert.</summary>
    Raised,

    /// <summary>A repeat of an open alert: its count and last-seen time moved, nobody is told again.</summary>
    Refreshed,

    /// <summary>An open alert whose condition had cleared long enough ago came back: its people are told again.</summary>
    Recurred,

    /// <summary>The condition of an open alert ended.</summary>
    Cleared,

    /// <summary>A clear with no open alert, or one already cleared.</summary>
    Ignored,
}

public sealed record SignalOutcome(SignalEffect Effect, Alert? Alert);

/// <summary>The figures reporting needs of one alert.</summary>
public sealed record AlertTimes(AlertKind Kind, string? Building, DateTimeOffset RaisedAt, DateTimeOffset? AcknowledgedAt, DateTimeOffset? ClosedAt);

/// <summary>Which alerts to list: <paramref name="Units"/> and <paramref name="Buildings"/>, when given, each limit the list (an alert in either).</summary>
public sealed record AlertQuery(bool OpenOnly = true, IReadOnlyList<string>? Units = null, bool FlaggedOnly = false, int Limit = 500,
    IReadOnlyList<string>? Buildings = null);

/// <summary>One row of an alert's history, by its position in the whole history: what a watcher of changes follows.</summary>
public sealed record AlertChange(long Position, long AlertId);

/// <summary>A time an e-bike charger was seen on a device: from the charging alert's first trigger to its clear (null: still on).</summary>
public sealed record ChargingSession(long AlertId, DateTimeOffset Start, DateTimeOffset? End);

/// <summary>
/// Alerts, their history, work orders, deliveries and the registry in one database. Every change is one
/// transaction, and every rule that must hold across instances is enforced by the database itself: one open alert
/// per kind and subject is a unique index (a repeat is an upsert, never a check-then-insert), a state change is a
/// conditional update, due work is claimed by an update.
/// </summary>
public sealed class AlertStore(AlertDatabase database)
{
    private const string AlertColumns = "id, kind, severity, state, subject, site_id, gateway_id, device_id, unit_id, building_id, "
        + "evidence, occurrences, first_seen, last_seen, raised_at, cleared_at, escalate_at, escalated_at, enforcement, "
        + "acknowledged_at, resolved_at, closed_at, feedback, last_event, previous_state";

    private const string DeliveryColumns = "id, alert_id, person_id, target, channel, reason, state, attempts, created_at, next_attempt_at, finished_at, last_detail";

    private const string WorkOrderColumns = "id, alert_id, warden_id, state, dispatched_at, dispatched_by, accepted_at, feedback_at, feedback, closed_at";

    /// <summary>
    /// Creates or migrates the schema and, when given, seeds the registry from the document: its sites, buildings,
    /// units, people and gateways replace the store's, while device assignments are only added where the store has
    /// none (an installer's assignment or noise zone made in the dashboard wins over the file), and push subscriptions stay.
    /// </summary>
    public async Task InitializeAsync(RegistryDocument? registry, CancellationToken cancellationToken)
    {
        await WriteAsync(async (connection, transaction) =>
        {
            await database.LockSchemaAsync(connection, transaction, cancellationToken);
            await Schema.MigrateAsync(database, connection, transaction, cancellationToken);
            if (registry is not null)
            {
                await SeedAsync(connection, transaction, registry, cancellationToken);
            }

            return 0;
        }, cancellationToken);
    }

    public async Task<RegistryDocument> LoadRegistryAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return new RegistryDocument
        {
            Sites = await connection.QueryAsync(null, "SELECT id, name FROM sites ORDER BY id", r => new Site(r.GetString(0), r.GetString(1)), cancellationToken),
            Buildings = await connection.QueryAsync(null, "SELECT id, site_id, name, area, latitude, longitude FROM buildings ORDER BY id",
                r => new Building(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.DoubleOrNull(4), r.DoubleOrNull(5)), cancellationToken),
            Units = await connection.QueryAsync(null, "SELECT id, building_id, name, landlord_id FROM units ORDER BY id",
                r => new Unit(r.GetString(0), r.GetString(1), r.GetString(2), r.StringOrNull(3)), cancellationToken),
            People = WithPushSubscriptions(
                await connection.QueryAsync(null, "SELECT id, name, role, area, latitude, longitude, preferences FROM people ORDER BY id",
                    r => new Person(r.GetString(0), r.GetString(1), Enum.Parse<PersonRole>(r.GetString(2)), r.StringOrNull(3), r.DoubleOrNull(4),
                        r.DoubleOrNull(5), JsonSerializer.Deserialize<NotificationPreferences>(r.GetString(6), RegistryDocument.Json)), cancellationToken),
                await connection.QueryAsync(null, "SELECT person_id, endpoint, p256dh, auth FROM push_subscriptions ORDER BY created_at, endpoint",
                    r => (Person: r.GetString(0), Target: new NotificationTarget
                    {
                        Channel = NotificationChannel.WebPush,
                        Address = r.GetString(1),
                        PushKeys = new WebPushKeys(r.GetString(2), r.GetString(3)),
                    }), cancellationToken)),
            Devices = await connection.QueryAsync(null, "SELECT site_id, device_id, unit_id, building_id, noise_zone FROM devices ORDER BY site_id, device_id",
                r => new DeviceAssignment(r.GetString(0), r.GetString(1), r.StringOrNull(2), r.StringOrNull(3), r.StringOrNull(4)), cancellationToken),
            Gateways = await connection.QueryAsync(null, "SELECT site_id, gateway_id, building_id FROM gateways ORDER BY site_id, gateway_id",
                r => new GatewayAssignment(r.GetString(0), r.GetString(1), r.GetString(2)), cancellationToken),
        };
    }

    /// <summary>The registry's version: it changes whenever the registry does, so a reader reloads only then.</summary>
    public async Task<long> RegistryVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync(null, "SELECT version FROM registry_version WHERE id = 1", r => r.GetInt64(0), cancellationToken)).Single();
    }

    /// <summary>Which unit (or building) a device measures, replacing its previous assignment (its noise zone stays).</summary>
    public Task AssignDeviceAsync(DeviceAssignment assignment, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(transaction,
                "INSERT INTO devices (site_id, device_id, unit_id, building_id) VALUES (@site, @device, @unit, @building) "
                + "ON CONFLICT (site_id, device_id) DO UPDATE SET unit_id = excluded.unit_id, building_id = excluded.building_id", cancellationToken,
                ("@site", assignment.Site), ("@device", assignment.Device), ("@unit", assignment.Unit), ("@building", assignment.Building));
            return await BumpRegistryVersionAsync(connection, transaction, cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// The zone class a noise sensor is judged by, replacing the one it had; null returns it to ingest's noise
    /// settings. The caller checks the class (<see cref="RegistryDocument.Check"/> names the valid ones).
    /// </summary>
    public Task SetNoiseZoneAsync(string site, string device, string? zone, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(transaction,
                "INSERT INTO devices (site_id, device_id, noise_zone) VALUES (@site, @device, @zone) "
                + "ON CONFLICT (site_id, device_id) DO UPDATE SET noise_zone = excluded.noise_zone", cancellationToken,
                ("@site", site), ("@device", device), ("@zone", zone));
            // A row that only held the zone says nothing once it is cleared.
            await connection.ExecuteAsync(transaction,
                "DELETE FROM devices WHERE site_id = @site AND device_id = @device AND unit_id IS NULL AND building_id IS NULL AND noise_zone IS NULL",
                cancellationToken, ("@site", site), ("@device", device));
            return await BumpRegistryVersionAsync(connection, transaction, cancellationToken);
        }, cancellationToken);

    /// <summary>A browser's push subscription for a person: a Web Push target after the registry's own (a repeat replaces the keys).</summary>
    public Task AddPushSubscriptionAsync(string person, string endpoint, WebPushKeys keys, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(transaction,
                "INSERT INTO push_subscriptions (person_id, endpoint, p256dh, auth, created_at) VALUES (@person, @endpoint, @p256dh, @auth, @now) "
                + "ON CONFLICT (person_id, endpoint) DO UPDATE SET p256dh = excluded.p256dh, auth = excluded.auth", cancellationToken,
                ("@person", person), ("@endpoint", endpoint), ("@p256dh", keys.P256dh), ("@auth", keys.Auth), ("@now", now.ToMs()));
            return await BumpRegistryVersionAsync(connection, transaction, cancellationToken);
        }, cancellationToken);

    /// <summary>Removes a person's push subscription; false when they had none with that endpoint.</summary>
    public Task<bool> RemovePushSubscriptionAsync(string person, string endpoint, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            var removed = await connection.ExecuteAsync(transaction, "DELETE FROM push_subscriptions WHERE person_id = @person AND endpoint = @endpoint",
                cancellationToken, ("@person", person), ("@endpoint", endpoint));
            await BumpRegistryVersionAsync(connection, transaction, cancellationToken);
            return removed > 0;
        }, cancellationToken);

    /// <summary>
    /// Raises, refreshes or clears the alert of the signal's kind and subject. <paramref name="notify"/> is who to
    /// tell when the alert is new or recurs; a new offence in a unit that offended within the timings' repeat-offence
    /// period is flagged for enforcement.
    /// </summary>
    public Task<SignalOutcome> RecordSignalAsync(AlertSignal signal, string? unit, string? building, DateTimeOffset now,
        AlertTimings timings, IReadOnlyList<PlannedDelivery> notify, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            var subject = AlertKinds.SubjectOf(signal);
            if (!signal.Active)
            {
                var cleared = await ReadAlertsAsync(connection, transaction,
                    $"UPDATE alerts SET cleared_at = @at, last_event = 'cleared' WHERE kind = @kind AND subject = @subject "
                    + $"AND closed_at IS NULL AND cleared_at IS NULL RETURNING {AlertColumns}", cancellationToken,
                    ("@at", signal.At.ToMs()), ("@kind", signal.Kind.ToString()), ("@subject", subject));
                if (cleared.Count == 0)
                {
                    return new SignalOutcome(SignalEffect.Ignored, null);
                }

                var clearedAlert = cleared[0].Alert;
                await AddHistoryAsync(connection, transaction, clearedAlert.Id, now, "system", "cleared", null, clearedAlert.State, null, cancellationToken);
                return new SignalOutcome(SignalEffect.Cleared, clearedAlert);
            }

            var (alert, lastEvent, _) = (await ReadAlertsAsync(connection, transaction,
                $"""
                INSERT INTO alerts (kind, severity, state, subject, site_id, gateway_id, device_id, unit_id, building_id, evidence,
                    occurrences, first_seen, last_seen, raised_at, escalate_at, enforcement, last_event)
                VALUES (@kind, @severity, 'Raised', @subject, @site, @gateway, @device, @unit, @building, @evidence,
                    1, @at, @at, @now, @escalate_at, 0, 'raised')
                ON CONFLICT (kind, subject) WHERE closed_at IS NULL DO UPDATE SET
                    occurrences = alerts.occurrences + 1,
                    last_seen = CASE WHEN excluded.last_seen > alerts.last_seen THEN excluded.last_seen ELSE alerts.last_seen END,
                    evidence = excluded.evidence,
                    cleared_at = NULL,
                    last_event = CASE WHEN alerts.cleared_at IS NOT NULL AND excluded.last_seen - alerts.cleared_at >= @flap
                        THEN 'recurred' ELSE 'refreshed' END
                RETURNING {AlertColumns}
                """, cancellationToken,
                ("@kind", signal.Kind.ToString()), ("@severity", AlertKinds.SeverityOf(signal.Kind).ToString()), ("@subject", subject),
                ("@site", signal.Site), ("@gateway", signal.Gateway), ("@device", signal.Device), ("@unit", unit), ("@building", building),
                ("@evidence", JsonSerializer.Serialize(signal.Evidence)), ("@at", signal.At.ToMs()), ("@now", now.ToMs()),
                ("@escalate_at", (now + timings.AcknowledgeWithin).ToMs()), ("@flap", (long)timings.FlapWindow.TotalMilliseconds))).Single();

            var effect = lastEvent switch
            {
                "raised" => SignalEffect.Raised,
                "recurred" => SignalEffect.Recurred,
                _ => SignalEffect.Refreshed,
            };
            if (effect == SignalEffect.Refreshed)
            {
                return new SignalOutcome(effect, alert);
            }

            await AddHistoryAsync(connection, transaction, alert.Id, now, "system", lastEvent,
                effect == SignalEffect.Raised ? null : alert.State, alert.State, null, cancellationToken);
            await AddDeliveriesAsync(connection, transaction, alert.Id, effect == SignalEffect.Raised ? DeliveryReason.Raised : DeliveryReason.Recurred,
                notify, now, cancellationToken);
            if (effect == SignalEffect.Raised && unit is not null && AlertKinds.IsOffence(signal.Kind)
                && await IsRepeatOffenceAsync(connection, transaction, alert.Id, unit, signal.Kind, now - timings.RepeatOffencePeriod, cancellationToken))
            {
                await connection.ExecuteAsync(transaction, "UPDATE alerts SET enforcement = 1 WHERE id = @id", cancellationToken, ("@id", alert.Id));
                await AddHistoryAsync(connection, transaction, alert.Id, now, "system", "flagged-for-enforcement", null, alert.State,
                    $"repeat offence in unit {unit} within {timings.RepeatOffencePeriod.TotalDays:0.#} days", cancellationToken);
                return new SignalOutcome(effect, alert with { FlaggedForEnforcement = true });
            }

            return new SignalOutcome(effect, alert);
        }, cancellationToken);

    public Task<Alert> AcknowledgeAsync(long alertId, string actor, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) => TransitionAsync(connection, transaction, alertId, AlertState.Acknowledged, actor, now, null,
            ", acknowledged_at = @now, escalate_at = NULL", cancellationToken), cancellationToken);

    /// <summary>Sends the alert to a named warden as a work order; the warden is told through <paramref name="notify"/>.</summary>
    public Task<WorkOrder> DispatchAsync(long alertId, string warden, string actor, DateTimeOffset now, IReadOnlyList<PlannedDelivery> notify,
        CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await TransitionAsync(connection, transaction, alertId, AlertState.Dispatched, actor, now, $"to warden {warden}",
                ", dispatched_at = @now, escalate_at = NULL", cancellationToken);
            var order = (await connection.QueryAsync(transaction,
                $"INSERT INTO work_orders (alert_id, warden_id, state, dispatched_at, dispatched_by) VALUES (@alert, @warden, 'Dispatched', @now, @actor) "
                + $"RETURNING {WorkOrderColumns}", ReadWorkOrder, cancellationToken,
                ("@alert", alertId), ("@warden", warden), ("@now", now.ToMs()), ("@actor", actor))).Single();
            await AddDeliveriesAsync(connection, transaction, alertId, DeliveryReason.Dispatched, notify, now, cancellationToken);
            return order;
        }, cancellationToken);

    public Task<WorkOrder> AcceptWorkOrderAsync(long workOrderId, string actor, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            var order = await ChangeWorkOrderAsync(connection, transaction, workOrderId, WorkOrderState.Accepted, WorkOrderState.Dispatched,
                "accepted_at = @now", now, null, cancellationToken);
            var alert = await GetAlertAsync(connection, transaction, order.AlertId, cancellationToken);
            await AddHistoryAsync(connection, transaction, order.AlertId, now, actor, "work-order-accepted", null, alert!.State,
                $"work order {order.Id}", cancellationToken);
            return order;
        }, cancellationToken);

    /// <summary>The warden's report from the site: it resolves the alert with the notes as its feedback.</summary>
    public Task<Alert> GiveFeedbackAsync(long workOrderId, string actor, string notes, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            var order = await ChangeWorkOrderAsync(connection, transaction, workOrderId, WorkOrderState.FeedbackGiven, WorkOrderState.Accepted,
                "feedback_at = @now, feedback = @notes", now, notes, cancellationToken);
            return await TransitionAsync(connection, transaction, order.AlertId, AlertState.Resolved, actor, now, notes,
                ", resolved_at = @now, feedback = @note", cancellationToken);
        }, cancellationToken);

    /// <summary>Resolved without a warden (the landlord dealt with it), with what was done as feedback.</summary>
    public Task<Alert> ResolveAsync(long alertId, string actor, string feedback, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) => TransitionAsync(connection, transaction, alertId, AlertState.Resolved, actor, now, feedback,
            ", resolved_at = @now, feedback = @note", cancellationToken), cancellationToken);

    public Task<Alert> CloseAsync(long alertId, string actor, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            var alert = await TransitionAsync(connection, transaction, alertId, AlertState.Closed, actor, now, null,
                ", closed_at = @now, escalate_at = NULL", cancellationToken);
            await connection.ExecuteAsync(transaction, "UPDATE work_orders SET state = 'Closed', closed_at = @now WHERE alert_id = @alert AND closed_at IS NULL",
                cancellationToken, ("@now", now.ToMs()), ("@alert", alertId));
            return alert;
        }, cancellationToken);

    /// <summary>
    /// Claims the alerts whose acknowledgement time has passed, records the escalation and creates the deliveries
    /// <paramref name="plan"/> gives for each (its area's wardens). The claim is an update, so of two instances
    /// only one escalates an alert.
    /// </summary>
    public Task<IReadOnlyList<Alert>> EscalateDueAsync(DateTimeOffset now, Func<Alert, IReadOnlyList<PlannedDelivery>> plan, int limit,
        CancellationToken cancellationToken) =>
        WriteAsync<IReadOnlyList<Alert>>(async (connection, transaction) =>
        {
            var due = await ReadAlertsAsync(connection, transaction,
                $"UPDATE alerts SET escalate_at = NULL, escalated_at = @now WHERE id IN "
                + $"(SELECT id FROM alerts WHERE escalate_at <= @now ORDER BY escalate_at LIMIT @limit) AND escalate_at <= @now "
                + $"RETURNING {AlertColumns}", cancellationToken, ("@now", now.ToMs()), ("@limit", (long)limit));
            foreach (var (alert, _, _) in due)
            {
                var deliveries = plan(alert);
                await AddHistoryAsync(connection, transaction, alert.Id, now, "system", "escalated", null, alert.State,
                    deliveries.Count == 0 ? "no warden covers this area" : $"to {string.Join(", ", deliveries.Select(d => d.Person).Distinct())}",
                    cancellationToken);
                await AddDeliveriesAsync(connection, transaction, alert.Id, DeliveryReason.Escalated, deliveries, now, cancellationToken);
            }

            return [.. due.Select(d => d.Alert)];
        }, cancellationToken);

    /// <summary>
    /// Leases the deliveries due now until <paramref name="leaseUntil"/>: another instance skips them meanwhile, and
    /// if this one dies mid-attempt they fall due again when the lease ends.
    /// </summary>
    public Task<IReadOnlyList<Delivery>> ClaimDueDeliveriesAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken) =>
        WriteAsync<IReadOnlyList<Delivery>>(async (connection, transaction) => await connection.QueryAsync(transaction,
            $"""
            UPDATE deliveries SET lease_until = @lease WHERE id IN
                (SELECT id FROM deliveries WHERE state = 'Pending' AND next_attempt_at <= @now AND (lease_until IS NULL OR lease_until <= @now)
                 ORDER BY next_attempt_at LIMIT @limit)
              AND state = 'Pending' AND (lease_until IS NULL OR lease_until <= @now)
            RETURNING {DeliveryColumns}
            """, ReadDelivery, cancellationToken, ("@lease", leaseUntil.ToMs()), ("@now", now.ToMs()), ("@limit", (long)limit)), cancellationToken);

    /// <summary>
    /// Records one attempt's outcome. Delivered ends the delivery (and marks a raised alert notified); a failure
    /// with <paramref name="retryAt"/> waits for it, one without ends the delivery as failed.
    /// </summary>
    public Task RecordAttemptAsync(Delivery delivery, DeliveryAttempt attempt, bool delivered, DateTimeOffset? retryAt, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(transaction,
                "INSERT INTO delivery_attempts (delivery_id, at, outcome, detail, status_code, elapsed_ms) VALUES (@delivery, @at, @outcome, @detail, @status, @elapsed)",
                cancellationToken, ("@delivery", delivery.Id), ("@at", attempt.At.ToMs()), ("@outcome", attempt.Outcome), ("@detail", attempt.Detail),
                ("@status", (long?)attempt.StatusCode), ("@elapsed", attempt.ElapsedMilliseconds));
            var state = delivered ? DeliveryState.Delivered : retryAt is null ? DeliveryState.Failed : DeliveryState.Pending;
            await connection.ExecuteAsync(transaction,
                "UPDATE deliveries SET state = @state, attempts = attempts + 1, lease_until = NULL, last_detail = @detail, "
                + "next_attempt_at = @next, finished_at = @finished WHERE id = @id", cancellationToken,
                ("@state", state.ToString()), ("@detail", attempt.Detail), ("@next", (retryAt ?? attempt.At).ToMs()),
                ("@finished", state == DeliveryState.Pending ? null : attempt.At.ToMs()), ("@id", delivery.Id));
            if (delivered)
            {
                var notified = await connection.ExecuteAsync(transaction,
                    "UPDATE alerts SET previous_state = state, state = 'Notified', notified_at = @at WHERE id = @id AND state = 'Raised'",
                    cancellationToken, ("@at", attempt.At.ToMs()), ("@id", delivery.AlertId));
                if (notified == 1)
                {
                    await AddHistoryAsync(connection, transaction, delivery.AlertId, attempt.At, "system", "notified", AlertState.Raised,
                        AlertState.Notified, $"{delivery.Channel} to {delivery.Person}", cancellationToken);
                }
            }

            return 0;
        }, cancellationToken);

    public async Task<Alert?> GetAlertAsync(long alertId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await GetAlertAsync(connection, null, alertId, cancellationToken);
    }

    public async Task<IReadOnlyList<Alert>> ListAlertsAsync(AlertQuery query, CancellationToken cancellationToken)
    {
        var conditions = new List<string>();
        var parameters = new List<(string, object?)> { ("@limit", (long)query.Limit) };
        if (query.OpenOnly)
        {
            conditions.Add("closed_at IS NULL");
        }

        if (query.FlaggedOnly)
        {
            conditions.Add("enforcement = 1");
        }

        var places = new List<string>();
        if (query.Units is not null)
        {
            var (list, units) = Sql.InList("unit", query.Units);
            places.Add($"unit_id IN ({list})");
            parameters.AddRange(units);
        }

        if (query.Buildings is not null)
        {
            var (list, buildings) = Sql.InList("building", query.Buildings);
            places.Add($"building_id IN ({list})");
            parameters.AddRange(buildings);
        }

        if (places.Count > 0)
        {
            conditions.Add($"({string.Join(" OR ", places)})");
        }

        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. (await ReadAlertsAsync(connection, null, $"SELECT {AlertColumns} FROM alerts {where} ORDER BY id DESC LIMIT @limit",
            cancellationToken, [.. parameters])).Select(a => a.Alert)];
    }

    /// <summary>
    /// History rows after <paramref name="afterPosition"/>, oldest first: every state change and event of every
    /// alert writes one in the same transaction, so following them sees each change whoever made it.
    /// </summary>
    public async Task<IReadOnlyList<AlertChange>> ChangesAfterAsync(long afterPosition, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QueryAsync(null, "SELECT id, alert_id FROM alert_history WHERE id > @after ORDER BY id LIMIT @limit",
            r => new AlertChange(r.GetInt64(0), r.GetInt64(1)), cancellationToken, ("@after", afterPosition), ("@limit", (long)limit));
    }

    /// <summary>The position of the latest history row (0 when there is none): where a new watcher of changes starts.</summary>
    public async Task<long> LatestChangeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync(null, "SELECT MAX(id) FROM alert_history", r => r.IsDBNull(0) ? 0 : r.GetInt64(0), cancellationToken)).Single();
    }

    /// <summary>Work orders not yet closed: who owns each open case.</summary>
    public async Task<IReadOnlyList<WorkOrder>> OpenWorkOrdersAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QueryAsync(null, $"SELECT {WorkOrderColumns} FROM work_orders WHERE closed_at IS NULL ORDER BY id",
            ReadWorkOrder, cancellationToken);
    }

    /// <summary>The e-bike charging alerts of one device whose condition held at some time after <paramref name="since"/>.</summary>
    public async Task<IReadOnlyList<ChargingSession>> ChargingSessionsAsync(string site, string device, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QueryAsync(null,
            "SELECT id, first_seen, cleared_at FROM alerts WHERE kind = @kind AND site_id = @site AND device_id = @device "
            + "AND (cleared_at IS NULL OR cleared_at >= @since) ORDER BY first_seen",
            r => new ChargingSession(r.GetInt64(0), r.Time(1), r.TimeOrNull(2)), cancellationToken,
            ("@kind", nameof(AlertKind.EbikeCharging)), ("@site", site), ("@device", device), ("@since", since.ToMs()));
    }

    public async Task<IReadOnlyList<AlertHistoryEntry>> HistoryAsync(long alertId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QueryAsync(null, "SELECT at, actor, action, from_state, to_state, note FROM alert_history WHERE alert_id = @id ORDER BY id",
            r => new AlertHistoryEntry(r.Time(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : Enum.Parse<AlertState>(r.GetString(3)),
                Enum.Parse<AlertState>(r.GetString(4)), r.StringOrNull(5)), cancellationToken, ("@id", alertId));
    }

    public async Task<IReadOnlyList<WorkOrder>> WorkOrdersAsync(long alertId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QueryAsync(null, $"SELECT {WorkOrderColumns} FROM work_orders WHERE alert_id = @id ORDER BY id",
            ReadWorkOrder, cancellationToken, ("@id", alertId));
    }

    public async Task<WorkOrder?> GetWorkOrderAsync(long workOrderId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync(null, $"SELECT {WorkOrderColumns} FROM work_orders WHERE id = @id",
            ReadWorkOrder, cancellationToken, ("@id", workOrderId))).SingleOrDefault();
    }

    public async Task<IReadOnlyList<Delivery>> DeliveriesAsync(long alertId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QueryAsync(null, $"SELECT {DeliveryColumns} FROM deliveries WHERE alert_id = @id ORDER BY id",
            ReadDelivery, cancellationToken, ("@id", alertId));
    }

    public async Task<IReadOnlyList<DeliveryAttempt>> AttemptsAsync(long deliveryId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QueryAsync(null,
            "SELECT delivery_id, at, outcome, detail, status_code, elapsed_ms FROM delivery_attempts WHERE delivery_id = @id ORDER BY id",
            r => new DeliveryAttempt(r.GetInt64(0), r.Time(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : (int)r.GetInt64(4), r.GetDouble(5)),
            cancellationToken, ("@id", deliveryId));
    }

    /// <summary>Alerts raised in [from, to), for reporting.</summary>
    public async Task<IReadOnlyList<AlertTimes>> RaisedBetweenAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QueryAsync(null,
            "SELECT kind, building_id, raised_at, acknowledged_at, closed_at FROM alerts WHERE raised_at >= @from AND raised_at < @to",
            r => new AlertTimes(Enum.Parse<AlertKind>(r.GetString(0)), r.StringOrNull(1), r.Time(2), r.TimeOrNull(3), r.TimeOrNull(4)),
            cancellationToken, ("@from", from.ToMs()), ("@to", to.ToMs()));
    }

    private async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        using var turn = await database.EnterWriteAsync(cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = database.BeginWrite(connection);
        var result = await work(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// One state change as one conditional update: it applies only if the alert is in a state the lifecycle allows
    /// moving from, so two people acting at once cannot both succeed. <c>previous_state</c> is set from the row
    /// being replaced, which tells the history where it came from.
    /// </summary>
    private static async Task<Alert> TransitionAsync(DbConnection connection, DbTransaction transaction, long alertId, AlertState to,
        string actor, DateTimeOffset now, string? note, string alsoSet, CancellationToken cancellationToken)
    {
        var from = string.Join(", ", AlertLifecycle.StatesBefore(to).Select(s => $"'{s}'"));
        var changed = await ReadAlertsAsync(connection, transaction,
            $"UPDATE alerts SET previous_state = state, state = @to{alsoSet} WHERE id = @id AND state IN ({from}) RETURNING {AlertColumns}",
            cancellationToken, ("@to", to.ToString()), ("@id", alertId), ("@now", now.ToMs()), ("@note", note));
        if (changed.Count == 0)
        {
            var current = await GetAlertAsync(connection, transaction, alertId, cancellationToken)
                ?? throw new NotFoundException($"There is no alert {alertId}.");
            throw new InvalidTransitionException(alertId, current.State, to);
        }

        var (alert, _, previous) = changed[0];
        await AddHistoryAsync(connection, transaction, alertId, now, actor, to.ToString().ToLowerInvariant(), previous, to, note, cancellationToken);
        return alert;
    }

    private static async Task<WorkOrder> ChangeWorkOrderAsync(DbConnection connection, DbTransaction transaction, long workOrderId,
        WorkOrderState to, WorkOrderState from, string alsoSet, DateTimeOffset now, string? notes, CancellationToken cancellationToken)
    {
        var changed = await connection.QueryAsync(transaction,
            $"UPDATE work_orders SET state = @to, {alsoSet} WHERE id = @id AND state = @from RETURNING {WorkOrderColumns}",
            ReadWorkOrder, cancellationToken, ("@to", to.ToString()), ("@from", from.ToString()), ("@id", workOrderId), ("@now", now.ToMs()), ("@notes", notes));
        if (changed.Count == 1)
        {
            return changed[0];
        }

        var current = (await connection.QueryAsync(transaction, $"SELECT {WorkOrderColumns} FROM work_orders WHERE id = @id", ReadWorkOrder,
            cancellationToken, ("@id", workOrderId))).SingleOrDefault() ?? throw new NotFoundException($"There is no work order {workOrderId}.");
        throw new AlertRequestException(
            $"Work order {workOrderId} is {current.State}: it must be {from} for this ({to}).");
    }

    private static async Task<bool> IsRepeatOffenceAsync(DbConnection connection, DbTransaction transaction, long alertId, string unit, AlertKind kind,
        DateTimeOffset since, CancellationToken cancellationToken) =>
        (await connection.QueryAsync(transaction,
            "SELECT COUNT(*) FROM alerts WHERE unit_id = @unit AND kind = @kind AND id <> @id AND raised_at >= @since",
            r => r.GetInt64(0), cancellationToken, ("@unit", unit), ("@kind", kind.ToString()), ("@id", alertId), ("@since", since.ToMs()))).Single() > 0;

    private static Task AddHistoryAsync(DbConnection connection, DbTransaction transaction, long alertId, DateTimeOffset at, string actor,
        string action, AlertState? from, AlertState to, string? note, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(transaction,
            "INSERT INTO alert_history (alert_id, at, actor, action, from_state, to_state, note) VALUES (@alert, @at, @actor, @action, @from, @to, @note)",
            cancellationToken, ("@alert", alertId), ("@at", at.ToMs()), ("@actor", actor), ("@action", action), ("@from", from?.ToString()),
            ("@to", to.ToString()), ("@note", note));

    private static async Task AddDeliveriesAsync(DbConnection connection, DbTransaction transaction, long alertId, DeliveryReason reason,
        IReadOnlyList<PlannedDelivery> deliveries, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var delivery in deliveries)
        {
            await connection.ExecuteAsync(transaction,
                "INSERT INTO deliveries (alert_id, person_id, target, channel, reason, state, attempts, created_at, next_attempt_at) "
                + "VALUES (@alert, @person, @target, @channel, @reason, 'Pending', 0, @now, @due)", cancellationToken,
                ("@alert", alertId), ("@person", delivery.Person), ("@target", (long)delivery.Target), ("@channel", delivery.Channel),
                ("@reason", reason.ToString()), ("@now", now.ToMs()), ("@due", delivery.Due.ToMs()));
        }
    }

    private static async Task SeedAsync(DbConnection connection, DbTransaction transaction, RegistryDocument registry, CancellationToken cancellationToken)
    {
        foreach (var table in new[] { "sites", "buildings", "units", "people", "gateways" })
        {
            await connection.ExecuteAsync(transaction, $"DELETE FROM {table}", cancellationToken);
        }

        foreach (var site in registry.Sites)
        {
            await connection.ExecuteAsync(transaction, "INSERT INTO sites (id, name) VALUES (@id, @name)", cancellationToken, ("@id", site.Id), ("@name", site.Name));
        }

        foreach (var b in registry.Buildings)
        {
            await connection.ExecuteAsync(transaction,
                "INSERT INTO buildings (id, site_id, name, area, latitude, longitude) VALUES (@id, @site, @name, @area, @lat, @lon)", cancellationToken,
                ("@id", b.Id), ("@site", b.Site), ("@name", b.Name), ("@area", b.Area), ("@lat", b.Latitude), ("@lon", b.Longitude));
        }

        foreach (var u in registry.Units)
        {
            await connection.ExecuteAsync(transaction, "INSERT INTO units (id, building_id, name, landlord_id) VALUES (@id, @building, @name, @landlord)",
                cancellationToken, ("@id", u.Id), ("@building", u.Building), ("@name", u.Name), ("@landlord", u.Landlord));
        }

        foreach (var p in registry.People)
        {
            await connection.ExecuteAsync(transaction,
                "INSERT INTO people (id, name, role, area, latitude, longitude, preferences) VALUES (@id, @name, @role, @area, @lat, @lon, @preferences)",
                cancellationToken, ("@id", p.Id), ("@name", p.Name), ("@role", p.Role.ToString()), ("@area", p.Area), ("@lat", p.Latitude),
                ("@lon", p.Longitude), ("@preferences", JsonSerializer.Serialize(p.Notifications, RegistryDocument.Json)));
        }

        foreach (var d in registry.Devices)
        {
            await connection.ExecuteAsync(transaction,
                "INSERT INTO devices (site_id, device_id, unit_id, building_id, noise_zone) VALUES (@site, @device, @unit, @building, @zone) "
                + "ON CONFLICT (site_id, device_id) DO NOTHING",
                cancellationToken, ("@site", d.Site), ("@device", d.Device), ("@unit", d.Unit), ("@building", d.Building), ("@zone", d.NoiseZone));
        }

        foreach (var g in registry.Gateways)
        {
            await connection.ExecuteAsync(transaction, "INSERT INTO gateways (site_id, gateway_id, building_id) VALUES (@site, @gateway, @building)",
                cancellationToken, ("@site", g.Site), ("@gateway", g.Gateway), ("@building", g.Building));
        }

        await BumpRegistryVersionAsync(connection, transaction, cancellationToken);
    }

    private static Task<int> BumpRegistryVersionAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(transaction, "UPDATE registry_version SET version = version + 1 WHERE id = 1", cancellationToken);

    private static List<Person> WithPushSubscriptions(List<Person> people, List<(string Person, NotificationTarget Target)> subscriptions)
    {
        var byPerson = subscriptions.ToLookup(s => s.Person, s => s.Target);
        return [.. people.Select(p => byPerson[p.Id].Any()
            ? p with { Preferences = p.Notifications with { Targets = [.. p.Notifications.Targets, .. byPerson[p.Id]] } }
            : p)];
    }

    private static async Task<Alert?> GetAlertAsync(DbConnection connection, DbTransaction? transaction, long alertId, CancellationToken cancellationToken) =>
        (await ReadAlertsAsync(connection, transaction, $"SELECT {AlertColumns} FROM alerts WHERE id = @id", cancellationToken, ("@id", alertId)))
            .SingleOrDefault().Alert;

    private static async Task<List<(Alert Alert, string LastEvent, AlertState? Previous)>> ReadAlertsAsync(DbConnection connection,
        DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string, object?)[] parameters) =>
        await connection.QueryAsync(transaction, sql, r => (new Alert
        {
            Id = r.GetInt64(0),
            Kind = Enum.Parse<AlertKind>(r.GetString(1)),
            Severity = Enum.Parse<AlertSeverity>(r.GetString(2)),
            State = Enum.Parse<AlertState>(r.GetString(3)),
            Subject = r.GetString(4),
            Site = r.GetString(5),
            Gateway = r.GetString(6),
            Device = r.GetString(7),
            Unit = r.StringOrNull(8),
            Building = r.StringOrNull(9),
            Evidence = JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(10)) ?? [],
            Count = (int)r.GetInt64(11),
            FirstSeen = r.Time(12),
            LastSeen = r.Time(13),
            RaisedAt = r.Time(14),
            ClearedAt = r.TimeOrNull(15),
            EscalateAt = r.TimeOrNull(16),
            EscalatedAt = r.TimeOrNull(17),
            FlaggedForEnforcement = r.GetInt64(18) != 0,
            AcknowledgedAt = r.TimeOrNull(19),
            ResolvedAt = r.TimeOrNull(20),
            ClosedAt = r.TimeOrNull(21),
            Feedback = r.StringOrNull(22),
        }, r.GetString(23), r.IsDBNull(24) ? (AlertState?)null : Enum.Parse<AlertState>(r.GetString(24))), cancellationToken, parameters);

    private static WorkOrder ReadWorkOrder(DbDataReader r) => new(r.GetInt64(0), r.GetInt64(1), r.GetString(2), Enum.Parse<WorkOrderState>(r.GetString(3)),
        r.Time(4), r.GetString(5), r.TimeOrNull(6), r.TimeOrNull(7), r.StringOrNull(8), r.TimeOrNull(9));

    private static Delivery ReadDelivery(DbDataReader r) => new(r.GetInt64(0), r.GetInt64(1), r.GetString(2), (int)r.GetInt64(3), r.GetString(4),
        Enum.Parse<DeliveryReason>(r.GetString(5)), Enum.Parse<DeliveryState>(r.GetString(6)), (int)r.GetInt64(7), r.Time(8), r.Time(9),
        r.TimeOrNull(10), r.StringOrNull(11));
}

/// <summary>The store's clocks: when an unacknowledged alert escalates, how long a cleared alert counts as flapping, the repeat-offence period.</summary>
public sealed record AlertTimings(TimeSpan AcknowledgeWithin, TimeSpan FlapWindow, TimeSpan RepeatOffencePeriod);
