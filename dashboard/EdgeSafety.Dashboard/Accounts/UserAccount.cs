using System.Text.RegularExpressions;

namespace EdgeSafety.Dashboard.Accounts;

public enum UserRole
{
    Admin,
    Warden,
    Landlord,
    Installer,
}

/// <summary>
/// A person who signs in, and what they may see: a warden their <see cref="Area"/>, a landlord the units of their
/// registry <see cref="Person"/>, an installer their <see cref="Sites"/>, an admin everything. <see cref="Stamp"/>
/// changes with the password, which ends every session signed in with the old one.
/// </summary>
public sealed partial record UserAccount(string Name, UserRole Role, string? Person, string? Area, IReadOnlyList<string> Sites, string Stamp)
{
    /// <summary>Who the alert history names for this user's actions: their registry person, else the account.</summary>
    public string Actor => Person ?? $"user:{Name}";

    /// <summary>Account names: lower case letters, digits, dot, dash, underscore; what is typed is lower-cased first.</summary>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    /// <summary>What the role needs, or null when the account is complete.</summary>
    public string? Problem() => Role switch
    {
        UserRole.Warden when string.IsNullOrWhiteSpace(Area) => "a warden needs --area (the registry area they cover)",
        UserRole.Landlord when string.IsNullOrWhiteSpace(Person) => "a landlord needs --person (their registry person id)",
        UserRole.Installer when Sites.Count == 0 => "an installer needs --sites (the site ids they work on)",
        _ => null,
    };

    [GeneratedRegex("^[a-z0-9._-]{1,64}$")]
    private static partial Regex NamePattern();
}
