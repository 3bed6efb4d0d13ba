using EdgeSafety.Dashboard.Extensions;
using Microsoft.Extensions.Options;

namespace EdgeSafety.Dashboard.Accounts;

/// <summary>
/// <c>EdgeSafety.Dashboard users add|reset|list ...</c>: creates an account with a random password (or one read
/// from --password-file), resets a password (ending every session of the account), lists accounts. Settings come
/// as for the server (appsettings.json, --Dashboard:StorePath=...). add and reset print one line: name, role,
/// password, tab-separated; nothing else is printed on success, so scripts can read it.
/// </summary>
public static class UsersCommand
{
    private const string Usage = """
        usage: EdgeSafety.Dashboard users add --name NAME --role admin|warden|landlord|installer
                   [--person REGISTRY-PERSON-ID] [--area AREA] [--sites SITE,SITE] [--password-file FILE] [--Setting=value ...]
               EdgeSafety.Dashboard users reset --name NAME [--password-file FILE]
               EdgeSafety.Dashboard users list
        """;

    public static bool IsInvocation(string[] args) => args.Length > 0 && args[0] == "users";

    public static async Task<int> RunAsync(string[] args)
    {
        // Settings (--Section:Key=value) go to the host's configuration; the rest are this command's.
        static bool IsSetting(string arg) => arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains(':', StringComparison.Ordinal);
        var settings = args.Skip(1).Where(IsSetting).ToArray();
        var rest = args.Skip(1).Where(arg => !IsSetting(arg)).ToList();
        if (rest.Count == 0)
        {
            return Fail(Usage);
        }

        if (!TryParse([.. rest.Skip(1)], out var flags, out var problem))
        {
            return Fail(problem);
        }

        var builder = WebApplication.CreateBuilder(settings);
        builder.Logging.ClearProviders();
        builder.Services.AddDashboardStore(builder.Environment);
        await using var services = builder.Services.BuildServiceProvider();
        var accounts = services.GetRequiredService<AccountStore>();
        var audit = services.GetRequiredService<AuditLog>();
        var now = TimeProvider.System.GetUtcNow();
        try
        {
            return rest[0] switch
            {
                "add" => await AddAsync(flags, accounts, audit, now),
                "reset" => await ResetAsync(flags, accounts, audit),
                "list" => await ListAsync(accounts),
                _ => Fail(Usage),
            };
        }
        catch (OptionsValidationException invalid)
        {
            return Fail(string.Join(Environment.NewLine, invalid.Failures));
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return Fail(ex.Message);
        }
    }

    private static async Task<int> AddAsync(Dictionary<string, string> flags, AccountStore accounts, AuditLog audit, DateTimeOffset now)
    {
        if (!flags.TryGetValue("name", out var name) || !flags.TryGetValue("role", out var roleText)
            || !Enum.TryParse<UserRole>(roleText, ignoreCase: true, out var role) || !Enum.IsDefined(role))
        {
            return Fail("users add needs --name and --role (admin, warden, landlord or installer).");
        }

        name = name.ToLowerInvariant();
        if (!UserAccount.IsValidName(name))
        {
            return Fail($"'{name}' is not a valid account name: 1 to 64 of a-z, 0-9, '.', '-', '_'.");
        }

        var account = new UserAccount(name, role, flags.GetValueOrDefault("person"), flags.GetValueOrDefault("area"),
            flags.TryGetValue("sites", out var sites) ? sites.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [], "");
        if (account.Problem() is { } problem)
        {
            return Fail($"Account '{name}': {problem}.");
        }

        var password = await PasswordAsync(flags);
        if (!await accounts.AddAsync(account, password, now, CancellationToken.None))
        {
            return Fail($"Account '{name}' exists already: use users reset to give it a new password.");
        }

        await audit.AppendAsync("cli", "user-add", name, role.ToString().ToLowerInvariant(), null);
        Console.WriteLine($"{name}\t{role.ToString().ToLowerInvariant()}\t{password}");
        return 0;
    }

    private static async Task<int> ResetAsync(Dictionary<string, string> flags, AccountStore accounts, AuditLog audit)
    {
        if (!flags.TryGetValue("name", out var name))
        {
            return Fail("users reset needs --name.");
        }

        name = name.ToLowerInvariant();
        var password = await PasswordAsync(flags);
        if (await accounts.FindAsync(name, CancellationToken.None) is not { } account || !await accounts.ResetPasswordAsync(name, password, CancellationToken.None))
        {
            return Fail($"There is no account '{name}'.");
        }

        await audit.AppendAsync("cli", "user-reset", name, null, null);
        Console.WriteLine($"{name}\t{account.Role.ToString().ToLowerInvariant()}\t{password}");
        return 0;
    }

    private static async Task<int> ListAsync(AccountStore accounts)
    {
        foreach (var account in await accounts.ListAsync(CancellationToken.None))
        {
            Console.WriteLine($"{account.Name}\t{account.Role.ToString().ToLowerInvariant()}\tperson={account.Person}\tarea={account.Area}\tsites={string.Join(',', account.Sites)}");
        }

        return 0;
    }

    /// <summary>The password in the file (first line), else a new random one.</summary>
    private static async Task<string> PasswordAsync(Dictionary<string, string> flags)
    {
        if (!flags.TryGetValue("password-file", out var file))
        {
            return AccountStore.NewPassword();
        }

        var password = (await File.ReadAllLinesAsync(file)).FirstOrDefault()?.Trim() ?? "";
        return password.Length >= 12 ? password : throw new InvalidDataException($"{file}: the password must be at least 12 characters.");
    }

    private static bool TryParse(List<string> args, out Dictionary<string, string> flags, out string problem)
    {
        flags = new Dictionary<string, string>(StringComparer.Ordinal);
        problem = "";
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                problem = $"Expected '--option value' at '{args[i]}'.{Environment.NewLine}{Usage}";
                return false;
            }

            flags[args[i][2..]] = args[i + 1];
        }

        return true;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }
}
