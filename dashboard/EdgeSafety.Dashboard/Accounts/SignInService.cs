using Microsoft.Extensions.Options;

namespace EdgeSafety.Dashboard.Accounts;

public enum SignInOutcome
{
    SignedIn,
    InvalidCredentials,

    /// <summary>The account (the name typed) has too many recent failures.</summary>
    Locked,

    /// <summary>The client address has too many recent failures, over any names.</summary>
    AddressLimited,
}

public sealed record SignInResult(SignInOutcome Outcome, UserAccount? Account = null, DateTimeOffset? RetryAt = null);

/// <summary>
/// Checks a name and password with lockout: a name (known or not, so lockout tells nothing about which names exist)
/// locks after Lockout:MaxFailures failures within the window, and an address is refused after
/// MaxFailuresPerAddress failures over all names, so guessing many names from one place is slowed too. A locked name
/// is refused even with the right password. Every outcome is audited.
/// </summary>
public sealed partial class SignInService(AccountStore accounts, AuditLog audit, IOptions<DashboardOptions> options, TimeProvider time,
    ILogger<SignInService> logger)
{
    private readonly LockoutOptions _lockout = options.Value.Lockout;

    public async Task<SignInResult> SignInAsync(string typedName, string password, string address, CancellationToken cancellationToken)
    {
        // Whatever was typed goes no further than this: a name that cannot exist is counted (and logged) as one.
        var name = typedName.Trim().ToLowerInvariant() is var typed && UserAccount.IsValidName(typed) ? typed : "(not a valid name)";
        var now = time.GetUtcNow();
        var (addressFailures, oldest) = await accounts.AddressFailuresAsync(address, now - _lockout.Window, cancellationToken);
        if (addressFailures >= _lockout.MaxFailuresPerAddress)
        {
            await audit.AppendAsync(name, "sign-in-refused", name, "address limited", address, cancellationToken);
            return new SignInResult(SignInOutcome.AddressLimited, RetryAt: oldest!.Value + _lockout.Window);
        }

        if (await accounts.LockedUntilAsync(name, now, cancellationToken) is { } lockedUntil)
        {
            await audit.AppendAsync(name, "sign-in-refused", name, "account locked", address, cancellationToken);
            return new SignInResult(SignInOutcome.Locked, RetryAt: lockedUntil);
        }

        var account = await accounts.VerifyAsync(name, password, cancellationToken);
        if (account is not null)
        {
            await accounts.ClearFailuresAsync(name, cancellationToken);
            await audit.AppendAsync(name, "sign-in", name, account.Role.ToString().ToLowerInvariant(), address, cancellationToken);
            LogSignedIn(logger, name, account.Role, address);
            return new SignInResult(SignInOutcome.SignedIn, account);
        }

        var lockUntil = now + _lockout.Duration;
        var locked = await accounts.RecordFailureAsync(name, address, now, now - _lockout.Window, _lockout.MaxFailures, lockUntil, cancellationToken);
        await audit.AppendAsync(name, "sign-in-failed", name, null, address, cancellationToken);
        LogFailed(logger, name, address);
        if (!locked)
        {
            return new SignInResult(SignInOutcome.InvalidCredentials);
        }

        await audit.AppendAsync("system", "locked-out", name, $"{_lockout.MaxFailures} failed sign-ins within {_lockout.Window}; until {lockUntil:O}", address,
            cancellationToken);
        LogLockedOut(logger, name, lockUntil);
        return new SignInResult(SignInOutcome.Locked, RetryAt: lockUntil);
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "{Name} signed in as {Role} from {Address}")]
    private static partial void LogSignedIn(ILogger logger, string name, UserRole role, string address);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Failed sign-in as {Name} from {Address}")]
    private static partial void LogFailed(ILogger logger, string name, string address);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "{Name} is locked out until {Until:O} after repeated failed sign-ins")]
    private static partial void LogLockedOut(ILogger logger, string name, DateTimeOffset until);
}
