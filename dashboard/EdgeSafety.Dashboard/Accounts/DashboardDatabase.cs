using Microsoft.Data.Sqlite;

namespace EdgeSafety.Dashboard.Accounts;

/// <summary>
/// The dashboard's own SQLite file: accounts, sign-in failures, lockouts and the audit log. Separate from the alert
/// store (which ingest shares): no account or password hash ever sits in the database other services open. WAL and
/// a busy timeout, as the alert store, so a user command run beside the server never fails on a lock.
/// </summary>
public sealed class DashboardDatabase
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, role TEXT NOT NULL, person_id TEXT NULL, area TEXT NULL,
            sites TEXT NOT NULL, password_hash TEXT NOT NULL, stamp TEXT NOT NULL, created_at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS sign_in_failures (id INTEGER PRIMARY KEY, name TEXT NOT NULL, address TEXT NOT NULL, at INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS sign_in_failures_name ON sign_in_failures (name, at);
        CREATE INDEX IF NOT EXISTS sign_in_failures_address ON sign_in_failures (address, at);
        CREATE TABLE IF NOT EXISTS lockouts (name TEXT PRIMARY KEY, until INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS audit_log (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
            target TEXT NULL, detail TEXT NULL, address TEXT NULL, hash TEXT NOT NULL);
        CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """;

    private readonly string _connectionString;
    private readonly SemaphoreSlim _writer = new(1, 1);

    public DashboardDatabase(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true, DefaultTimeout = 5 }.ToString();
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;" + Schema;
        command.ExecuteNonQuery();
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 5000";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>One write transaction at a time in this process (another process waits on the busy timeout).</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = connection.BeginTransaction(deferred: false);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        finally
        {
            _writer.Release();
        }
    }
}
