using System.Data.Common;
using System.Security.Cryptography;
using EdgeSafety.Alerts.Store;
using Microsoft.AspNetCore.Identity;

namespace EdgeSafety.Dashboard.Accounts;

/// <summary>
/// Accounts with their password hashes (ASP.NET Core Identity's PasswordHasher: PBKDF2-HMAC-SHA512, 100,000
/// iterations, random salt), and the failures and lockouts sign-in counts.
/// </summary>
public sealed class AccountStore(DashboardDatabase database)
{
    private const string UserColumns = "name, role, person_id, area, sites, stamp";
    private static readonly PasswordHasher<string> Hasher = new();

    /// <summary>What an unknown name's password is checked against, so it takes as long as a known one's.</summary>
    private static readonly string UnknownUserHash = Hasher.HashPassword("", NewPassword());

    /// <summary>A random password of 20 letters and digits (about 119 bits), for new and reset accounts.</summary>
    public static string NewPassword() =>
        RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", 20);

    /// <summary>Creates an account; false if the name is taken.</summary>
    public Task<bool> AddAsync(UserAccount account, string password, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
            await connection.ExecuteAsync(transaction,
                "INSERT INTO users (name, role, person_id, area, sites, password_hash, stamp, created_at) "
                + "VALUES (@name, @role, @person, @area, @sites, @hash, @stamp, @now) ON CONFLICT (name) DO NOTHING", cancellationToken,
                ("@name", account.Name), ("@role", account.Role.ToString()), ("@person", account.Person), ("@area", account.Area),
                ("@sites", string.Join(',', account.Sites)), ("@hash", Hasher.HashPassword(account.Name, password)), ("@stamp", NewStamp()),
                ("@now", now.ToMs())) == 1, cancellationToken);

    /// <summary>Sets a new password and stamp (every session ends) and lifts any lockout; false if there is no such account.</summary>
    public Task<bool> ResetPasswordAsync(string name, string password, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var changed = await connection.ExecuteAsync(transaction, "UPDATE users SET password_hash = @hash, stamp = @stamp WHERE name = @name",
                cancellationToken, ("@hash", Hasher.HashPassword(name, password)), ("@stamp", NewStamp()), ("@name", name));
            await connection.ExecuteAsync(transaction, "DELETE FROM lockouts WHERE name = @name", cancellationToken, ("@name", name));
            await connection.ExecuteAsync(transaction, "DELETE FROM sign_in_failures WHERE name = @name", cancellationToken, ("@name", name));
            return changed == 1;
        }, cancellationToken);

    public async Task<UserAccount?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync(null, $"SELECT {UserColumns} FROM users WHERE name = @name", ReadUser, cancellationToken, ("@name", name)))
            .SingleOrDefault();
    }

    public async Task<IReadOnlyList<UserAccount>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QueryAsync(null, $"SELECT {UserColumns} FROM users ORDER BY name", ReadUser, cancellationToken);
    }

    /// <summary>The account if the password is its own, else null. An unknown name costs the same hashing time as a known one.</summary>
    public async Task<UserAccount?> VerifyAsync(string name, string password, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var hash = (await connection.QueryAsync(null, "SELECT password_hash FROM users WHERE name = @name", r => r.GetString(0), cancellationToken,
            ("@name", name))).SingleOrDefault();
        var result = Hasher.VerifyHashedPassword(name, hash ?? UnknownUserHash, password);
        return hash is not null && result != PasswordVerificationResult.Failed ? await FindAsync(name, cancellationToken) : null;
    }

    /// <summary>When the name is locked until, if it is locked at <paramref name="now"/>.</summary>
    public async Task<DateTimeOffset?> LockedUntilAsync(string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var until = (await connection.QueryAsync(null, "SELECT until FROM lockouts WHERE name = @name AND until > @now", r => r.Time(0), cancellationToken,
            ("@name", name), ("@now", now.ToMs()))).SingleOrDefault();
        return until == default ? null : until;
    }

    /// <summary>Failures from the address since <paramref name="since"/>, and the oldest of them.</summary>
    public async Task<(int Count, DateTimeOffset? Oldest)> AddressFailuresAsync(string address, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync(null, "SELECT COUNT(*), MIN(at) FROM sign_in_failures WHERE address = @address AND at > @since",
            r => ((int)r.GetInt64(0), r.TimeOrNull(1)), cancellationToken, ("@address", address), ("@since", since.ToMs()))).Single();
    }

    /// <summary>
    /// Records a failed sign-in of the name (known or not) and, when it makes <paramref name="maxFailures"/> within
    /// the window (since the last lockout ended), locks the name until <paramref name="lockUntil"/>. True when it locked.
    /// </summary>
    public Task<bool> RecordFailureAsync(string name, string address, DateTimeOffset now, DateTimeOffset windowStart, int maxFailures,
        DateTimeOffset lockUntil, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(transaction, "INSERT INTO sign_in_failures (name, address, at) VALUES (@name, @address, @now)",
                cancellationToken, ("@name", name), ("@address", address), ("@now", now.ToMs()));
            var lastLockEnd = (await connection.QueryAsync(transaction, "SELECT until FROM lockouts WHERE name = @name", r => r.GetInt64(0),
                cancellationToken, ("@name", name))).SingleOrDefault();
            var failures = (await connection.QueryAsync(transaction, "SELECT COUNT(*) FROM sign_in_failures WHERE name = @name AND at > @since",
                r => r.GetInt64(0), cancellationToken, ("@name", name), ("@since", Math.Max(windowStart.ToMs(), lastLockEnd)))).Single();
            if (failures < maxFailures)
            {
                return false;
            }

            await connection.ExecuteAsync(transaction,
                "INSERT INTO lockouts (name, until) VALUES (@name, @until) ON CONFLICT (name) DO UPDATE SET until = excluded.until",
                cancellationToken, ("@name", name), ("@until", lockUntil.ToMs()));
            return true;
        }, cancellationToken);

    /// <summary>A successful sign-in starts the name's count again (the address's failures still count).</summary>
    public Task ClearFailuresAsync(string name, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
            connection.ExecuteAsync(transaction, "DELETE FROM sign_in_failures WHERE name = @name", cancellationToken, ("@name", name)), cancellationToken);

    private static string NewStamp() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    private static UserAccount ReadUser(DbDataReader r) => new(r.GetString(0), Enum.Parse<UserRole>(r.GetString(1)), r.StringOrNull(2),
        r.StringOrNull(3), r.GetString(4).Split(',', StringSplitOptions.RemoveEmptyEntries), r.GetString(5));
}
