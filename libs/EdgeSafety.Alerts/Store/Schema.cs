using System.Data.Common;

namespace EdgeSafety.Alerts.Store;

/// <summary>
/// The store's tables, created and migrated when the store opens. Each migration runs once, in order, inside the
/// transaction that records its number; add new ones at the end and never edit a shipped one.
/// </summary>
internal static class Schema
{
    /// <summary>{id} is the dialect's generated key column.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE sites (id TEXT PRIMARY KEY, name TEXT NOT NULL);
        CREATE TABLE buildings (id TEXT PRIMARY KEY, site_id TEXT NOT NULL, name TEXT NOT NULL, area TEXT NOT NULL,
            latitude DOUBLE PRECISION NULL, longitude DOUBLE PRECISION NULL);
        CREATE TABLE units (id TEXT PRIMARY KEY, building_id TEXT NOT NULL, name TEXT NOT NULL, landlord_id TEXT NULL);
        CREATE TABLE people (id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, area TEXT NULL,
            latitude DOUBLE PRECISION NULL, longitude DOUBLE PRECISION NULL, preferences TEXT NOT NULL);
        CREATE TABLE devices (site_id TEXT NOT NULL, device_id TEXT NOT NULL, unit_id TEXT NULL, building_id TEXT NULL,
            PRIMARY KEY (site_id, device_id));
        CREATE TABLE gateways (site_id TEXT NOT NULL, gateway_id TEXT NOT NULL, building_id TEXT NOT NULL,
            PRIMARY KEY (site_id, gateway_id));

        CREATE TABLE alerts (
            id {id},
            kind TEXT NOT NULL,
            severity TEXT NOT NULL,
            state TEXT NOT NULL,
            previous_state TEXT NULL,
            subject TEXT NOT NULL,
            site_id TEXT NOT NULL,
            gateway_id TEXT NOT NULL,
            device_id TEXT NOT NULL,
            unit_id TEXT NULL,
            building_id TEXT NULL,
            evidence TEXT NOT NULL,
            occurrences BIGINT NOT NULL,
            first_seen BIGINT NOT NULL,
            last_seen BIGINT NOT NULL,
            raised_at BIGINT NOT NULL,
            cleared_at BIGINT NULL,
            escalate_at BIGINT NULL,
            escalated_at BIGINT NULL,
            enforcement BIGINT NOT NULL,
            notified_at BIGINT NULL,
            acknowledged_at BIGINT NULL,
            dispatched_at BIGINT NULL,
            resolved_at BIGINT NULL,
            closed_at BIGINT NULL,
            feedback TEXT NULL,
            last_event TEXT NOT NULL);
        CREATE UNIQUE INDEX alerts_one_open ON alerts (kind, subject) WHERE closed_at IS NULL;
        CREATE INDEX alerts_escalate_at ON alerts (escalate_at) WHERE escalate_at IS NOT NULL;
        CREATE INDEX alerts_raised_at ON alerts (raised_at);
        CREATE INDEX alerts_unit ON alerts (unit_id, kind, raised_at);

        CREATE TABLE alert_history (id {id}, alert_id BIGINT NOT NULL, at BIGINT NOT NULL, actor TEXT NOT NULL,
            action TEXT NOT NULL, from_state TEXT NULL, to_state TEXT NOT NULL, note TEXT NULL);
        CREATE INDEX alert_history_alert ON alert_history (alert_id, id);

        CREATE TABLE work_orders (id {id}, alert_id BIGINT NOT NULL, warden_id TEXT NOT NULL, state TEXT NOT NULL,
            dispatched_at BIGINT NOT NULL, dispatched_by TEXT NOT NULL, accepted_at BIGINT NULL, feedback_at BIGINT NULL,
            feedback TEXT NULL, closed_at BIGINT NULL);
        CREATE INDEX work_orders_alert ON work_orders (alert_id);

        CREATE TABLE deliveries (id {id}, alert_id BIGINT NOT NULL, person_id TEXT NOT NULL, target BIGINT NOT NULL,
            channel TEXT NOT NULL, reason TEXT NOT NULL, state TEXT NOT NULL, attempts BIGINT NOT NULL,
            created_at BIGINT NOT NULL, next_attempt_at BIGINT NOT NULL, lease_until BIGINT NULL, finished_at BIGINT NULL,
            last_detail TEXT NULL);
        CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE state = 'Pending';
        CREATE INDEX deliveries_alert ON deliveries (alert_id);

        CREATE TABLE delivery_attempts (id {id}, delivery_id BIGINT NOT NULL, at BIGINT NOT NULL, outcome TEXT NOT NULL,
            detail TEXT NOT NULL, status_code BIGINT NULL, elapsed_ms DOUBLE PRECISION NOT NULL);
        CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id);
        """,
        // The registry's version, raised by every change to it, so each process reloads it when (and only when) it
        // changed; and browsers' push subscriptions, kept apart from the seeded people so a re-seed keeps them.
        """
        CREATE TABLE registry_version (id BIGINT PRIMARY KEY, version BIGINT NOT NULL);
        INSERT INTO registry_version (id, version) VALUES (1, 0);
        CREATE TABLE push_subscriptions (person_id TEXT NOT NULL, endpoint TEXT NOT NULL, p256dh TEXT NOT NULL, auth TEXT NOT NULL,
            created_at BIGINT NOT NULL, PRIMARY KEY (person_id, endpoint));
        """,
        // A noise sensor's GB 3096-2008 zone class, set by an installer in the dashboard (null: ingest's noise settings).
        """
        ALTER TABLE devices ADD COLUMN noise_zone TEXT NULL;
        """,
    ];

    public static async Task MigrateAsync(AlertDatabase database, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(transaction, "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)", cancellationToken);
        var applied = (await connection.QueryAsync(transaction, "SELECT MAX(version) FROM schema_version",
            r => r.IsDBNull(0) ? 0 : r.GetInt64(0), cancellationToken)).Single();
        if (applied > Migrations.Length)
        {
            throw new InvalidOperationException(
                $"The alert store is at schema version {applied}, newer than this program knows ({Migrations.Length}): upgrade the program.");
        }

        for (var version = (int)applied + 1; version <= Migrations.Length; version++)
        {
            await connection.ExecuteAsync(transaction, Migrations[version - 1].Replace("{id}", database.IdentityColumn, StringComparison.Ordinal), cancellationToken);
            await connection.ExecuteAsync(transaction, "INSERT INTO schema_version (version) VALUES (@version)", cancellationToken, ("@version", (long)version));
        }
    }
}
