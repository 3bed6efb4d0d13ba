using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using EdgeSafety.Contracts;

namespace EdgeSafety.Provisioning;

public sealed class EnrolmentOptions
{
    /// <summary>How long a code may be redeemed after it was issued: long enough to walk to the gateway, short enough to be useless later.</summary>
    [Range(1, 1440)]
    public int CodeLifetimeMinutes { get; set; } = 15;

    /// <summary>
    /// Wrong codes one address may try within <see cref="CodeLifetimeMinutes"/> before it is refused. With 8 characters
    /// of 32 (40 bits) and few codes open, guessing one takes about 10^11 tries.
    /// </summary>
    [Range(1, 1000)]
    public int MaxFailedAttempts { get; set; } = 10;
}

/// <summary>An open code: what it enrols, and until when. The code itself is never kept, only its hash.</summary>
public sealed record EnrolmentGrant(string Site, string Gateway, string IssuedBy, DateTimeOffset ExpiresAt);

public enum RedeemOutcome
{
    Redeemed,

    /// <summary>Unknown, already used or expired: the caller cannot tell which (nor can a guesser).</summary>
    Invalid,

    /// <summary>Too many wrong codes from this address lately; refused without looking at the code.</summary>
    TooManyAttempts,
}

/// <summary>
/// One-time enrolment codes for gateways: issued by an installer for one gateway of a site, redeemed once by the
/// agent on site (`EdgeSafety.EdgeAgent enrol`), then gone. Kept as SHA-256 hashes in memory: a code lives
/// minutes, so a restart of the dashboard only means issuing a new one. Thread-safe.
/// </summary>
public sealed class EnrolmentCodes(EnrolmentOptions options, TimeProvider time)
{
    /// <summary>No 0/O, 1/I/L: read off a phone and typed on a gateway's console.</summary>
    private const string Alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    private readonly Lock _sync = new();
    private readonly Dictionary<string, EnrolmentGrant> _open = [];
    private readonly Dictionary<string, List<DateTimeOffset>> _failures = [];

    private TimeSpan Lifetime => TimeSpan.FromMinutes(options.CodeLifetimeMinutes);

    /// <summary>A new code for the gateway, as "ABCD-EFGH"; an earlier open code of the same gateway stops working.</summary>
    public (string Code, EnrolmentGrant Grant) Issue(string site, string gateway, string issuedBy)
    {
        if (!Topics.IsValidId(site) || !Topics.IsValidId(gateway))
        {
            throw new ArgumentException($"'{site}' / '{gateway}' is not a valid site / gateway id (letters, digits, '-', '_'; 1-64).");
        }

        var code = string.Create(9, 0, static (chars, _) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = i == 4 ? '-' : Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
            }
        });
        var grant = new EnrolmentGrant(site, gateway, issuedBy, time.GetUtcNow() + Lifetime);
        lock (_sync)
        {
            RemoveExpired();
            foreach (var earlier in _open.Where(o => o.Value.Site == site && o.Value.Gateway == gateway).Select(o => o.Key).ToList())
            {
                _open.Remove(earlier);
            }

            _open[Hash(code)] = grant;
        }

        return (code, grant);
    }

    /// <summary>Redeems a code once. <paramref name="source"/> (the caller's address) limits how many wrong codes one caller may try.</summary>
    public RedeemOutcome TryRedeem(string code, string source, out EnrolmentGrant? grant)
    {
        grant = null;
        lock (_sync)
        {
            RemoveExpired();
            if (_failures.TryGetValue(source, out var failures) && failures.Count >= options.MaxFailedAttempts)
            {
                return RedeemOutcome.TooManyAttempts;
            }

            if (_open.Remove(Hash(Normalised(code)), out grant))
            {
                return RedeemOutcome.Redeemed;
            }

            if (failures is null)
            {
                _failures[source] = failures = [];
            }

            failures.Add(time.GetUtcNow());
            return RedeemOutcome.Invalid;
        }
    }

    /// <summary>Case and the dash are forgiven: installers type codes.</summary>
    private static string Normalised(string code)
    {
        var letters = new string([.. code.Where(c => c != '-' && !char.IsWhiteSpace(c)).Select(char.ToUpperInvariant)]);
        return letters.Length == 8 ? $"{letters[..4]}-{letters[4..]}" : letters;
    }

    private static string Hash(string code) => Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(code)));

    private void RemoveExpired()
    {
        var now = time.GetUtcNow();
        foreach (var expired in _open.Where(o => o.Value.ExpiresAt <= now).Select(o => o.Key).ToList())
        {
            _open.Remove(expired);
        }

        foreach (var (source, failures) in _failures.ToList())
        {
            failures.RemoveAll(f => f + Lifetime <= now);
            if (failures.Count == 0)
            {
                _failures.Remove(source);
            }
        }
    }
}
