namespace EdgeSafety.Contracts;

/// <summary>How a rejection reason is named on /metrics and in replies: snake_case, as docs/protocol.md lists them.</summary>
public static class RejectionLabel
{
    public static string Of(RejectionReason reason) =>
        string.Concat(reason.ToString().Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));
}
