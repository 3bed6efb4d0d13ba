using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EdgeSafety.Alerts.Store;

namespace EdgeSafety.Dashboard.Accounts;

/// <summary>One security-relevant action: who, what, on what, from where, and the chain hash that seals it.</summary>
public sealed record AuditEntry(long Id, DateTimeOffset At, string Actor, string Action, string? Target, string? Detail, string? Address, string Hash);

/// <summary>Whether the chain holds: the first entry whose hash does not follow from its content and its predecessor.</summary>
public sealed record AuditVerification(bool Ok, int Entries, long? BrokenAt);

/// <summary>
/// Append-only record of sign-ins, lockouts, alert actions, on-site warnings, device assignments and commands. The
/// program has no path that updates or deletes an entry, the table refuses both (triggers), and each entry's hash
/// covers its content and the previous entry's hash: an entry edited or removed behind the program's back breaks
/// the chain from there on, which <see cref="VerifyAsync"/> finds.
/// </summary>
public sealed class AuditLog(DashboardDatabase database, TimeProvider time)
{
    private const string Columns = "id, at, actor, action, target, detail, address, hash";

    public Task<AuditEntry> AppendAsync(string actor, string action, string? target, string? detail, string? address,
        CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var (lastId, lastHash) = (await connection.QueryAsync(transaction, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1",
                r => (r.GetInt64(0), r.GetString(1)), cancellationToken)).SingleOrDefault();
            var at = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToMs());
            var id = lastId + 1;
            var hash = Hash(lastHash ?? "", id, at, actor, action, target, detail, address);
            await connection.ExecuteAsync(transaction,
                "INSERT INTO audit_log (id, at, actor, action, target, detail, address, hash) VALUES (@id, @at, @actor, @action, @target, @detail, @address, @hash)",
                cancellationToken, ("@id", id), ("@at", at.ToMs()), ("@actor", actor), ("@action", action), ("@target", target), ("@detail", detail),
                ("@address", address), ("@hash", hash));
            return new AuditEntry(id, at, actor, action, target, detail, address, hash);
        }, cancellationToken);

    /// <summary>Entries after <paramref name="afterId"/>, oldest first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(long afterId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QueryAsync(null, $"SELECT {Columns} FROM audit_log WHERE id > @after ORDER BY id LIMIT @limit", Read, cancellationToken,
            ("@after", afterId), ("@limit", (long)limit));
    }

    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var entries = await connection.QueryAsync(null, $"SELECT {Columns} FROM audit_log ORDER BY id", Read, cancellationToken);
        var previous = "";
        var expectedId = 1L;
        foreach (var entry in entries)
        {
            if (entry.Id != expectedId || entry.Hash != Hash(previous, entry.Id, entry.At, entry.Actor, entry.Action, entry.Target, entry.Detail, entry.Address))
            {
                return new AuditVerification(false, entries.Count, entry.Id);
            }

            previous = entry.Hash;
            expectedId++;
        }

        return new AuditVerification(true, entries.Count, null);
    }

    /// <summary>SHA-256 over the previous hash and every field, each length-prefixed so no two entries can run together.</summary>
    private static string Hash(string previous, long id, DateTimeOffset at, string actor, string action, string? target, string? detail, string? address)
    {
        var text = new StringBuilder();
        foreach (var field in new[] { previous, id.ToString(CultureInfo.InvariantCulture), at.ToMs().ToString(CultureInfo.InvariantCulture), actor, action, target, detail, address })
        {
            text.Append(CultureInfo.InvariantCulture, $"{field?.Length ?? -1}:{field}|");
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static AuditEntry Read(DbDataReader r) => new(r.GetInt64(0), r.Time(1), r.GetString(2), r.GetString(3), r.StringOrNull(4),
        r.StringOrNull(5), r.StringOrNull(6), r.GetString(7));
}
