using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace EdgeSafety.Contracts;

/// <summary>
/// The MQTT topic tree, version 1 (docs/protocol.md):
/// <c>edgesafety/v1/{site}/{gateway}/readings/{device}</c>, its partitioned form
/// <c>edgesafety/v1/{site}/{gateway}/readings/{device}/{partition}</c>, <c>edgesafety/v1/{site}/{gateway}/events/{device}</c>
/// and <c>edgesafety/v1/{site}/{gateway}/status</c>.
/// </summary>
public static class Topics
{
    public const string Root = "edgesafety/v1";

    /// <summary>Every reading of every gateway: what ingest and the dashboard subscribe to.</summary>
    public const string AllReadings = Root + "/+/+/readings/+";

    /// <summary>Every device event (offline, online, tampered, restored) of every gateway.</summary>
    public const string AllEvents = Root + "/+/+/events/+";

    /// <summary>
    /// The partitions of the partitioned readings topic: fixed by the protocol, so that every publisher puts a device in
    /// the same one. Ingest instances divide them among themselves (docs/scale-out.md).
    /// </summary>
    public const int PartitionCount = 64;

    /// <summary>Every reading published to the partitioned topic.</summary>
    public const string AllPartitionedReadings = Root + "/+/+/readings/+/+";

    /// <summary>Every reading, plain and partitioned: what a subscriber that wants them all (the dashboard) follows.</summary>
    public static readonly IReadOnlyList<string> EveryReading = [AllReadings, AllPartitionedReadings];

    /// <summary>Every gateway's retained online/offline status.</summary>
    public const string AllStatus = Root + "/+/+/status";

    private const string IdCharacters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static readonly SearchValues<char> IdChars = SearchValues.Create(IdCharacters);
    private static readonly SearchValues<byte> IdBytes = SearchValues.Create(Encoding.ASCII.GetBytes(IdCharacters));

    /// <summary>Identifiers used as topic segments: letters, digits, '-' and '_', 1 to 64 of them.</summary>
    public static bool IsValidId([NotNullWhen(true)] string? id) => id is not null && IsValidId(id.AsSpan());

    private static bool IsValidId(ReadOnlySpan<char> id) => id.Length is >= 1 and <= 64 && !id.ContainsAnyExcept(IdChars);

    /// <summary>The same rule on an identifier's UTF-8 bytes (a non-ASCII byte fails it, as a non-ASCII character does).</summary>
    public static bool IsValidId(ReadOnlySpan<byte> utf8) => utf8.Length is >= 1 and <= 64 && !utf8.ContainsAnyExcept(IdBytes);

    public static string Readings(string site, string gateway, string device) =>
        $"{Root}/{Checked(site)}/{Checked(gateway)}/readings/{Checked(device)}";

    public static string Events(string site, string gateway, string device) =>
        $"{Root}/{Checked(site)}/{Checked(gateway)}/events/{Checked(device)}";

    /// <summary>The partitioned readings topic of a device: its plain topic with <see cref="Partition"/> appended.</summary>
    public static string PartitionedReadings(string site, string gateway, string device) =>
        $"{Readings(site, gateway, device)}/{Partition(site, gateway, device).ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The filter of every reading in one partition.</summary>
    public static string ReadingsInPartition(int partition) =>
        (uint)partition < PartitionCount
            ? $"{Root}/+/+/readings/+/{partition.ToString(CultureInfo.InvariantCulture)}"
            : throw new ArgumentOutOfRangeException(nameof(partition), partition, $"Partitions are 0 to {PartitionCount - 1}.");

    /// <summary>
    /// A device's partition: 32-bit FNV-1a of the UTF-8 (here ASCII) text "site/gateway/device", modulo
    /// <see cref="PartitionCount"/>. Stable across processes, machines and languages, as the protocol requires.
    /// </summary>
    public static int Partition(string site, string gateway, string device) => PartitionOf(Checked(site), Checked(gateway), Checked(device));

    /// <summary>
    /// A gateway's partition, for what concerns the gateway as a whole (its status): FNV-1a of "site/gateway" modulo
    /// <see cref="PartitionCount"/>. Only ingest instances compute it, to agree on which of them follows the gateway.
    /// </summary>
    public static int GatewayPartition(string site, string gateway) => (int)(GatewayHash(Checked(site), Checked(gateway)) % PartitionCount);

    private static int PartitionOf(ReadOnlySpan<char> site, ReadOnlySpan<char> gateway, ReadOnlySpan<char> device)
    {
        var hash = Fnv1a(GatewayHash(site, gateway), "/");
        hash = Fnv1a(hash, device);
        return (int)(hash % PartitionCount);
    }

    /// <summary>FNV-1a of "site/gateway": where a device's hash continues.</summary>
    private static uint GatewayHash(ReadOnlySpan<char> site, ReadOnlySpan<char> gateway)
    {
        const uint offsetBasis = 2166136261u;
        var hash = Fnv1a(offsetBasis, site);
        hash = Fnv1a(hash, "/");
        return Fnv1a(hash, gateway);
    }

    /// <summary>FNV-1a over ASCII text (identifiers are ASCII, so each char is its one UTF-8 byte).</summary>
    private static uint Fnv1a(uint hash, ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }

    public static string Status(string site, string gateway) => $"{Root}/{Checked(site)}/{Checked(gateway)}/status";

    /// <summary>Splits a gateway status topic into its site and gateway; false for any other topic.</summary>
    public static bool TryParseStatus(string topic, out string site, out string gateway)
    {
        (site, gateway) = ("", "");
        var parts = topic.Split('/');
        if (parts.Length != 5 || $"{parts[0]}/{parts[1]}" != Root || parts[4] != "status" || !IsValidId(parts[2]) || !IsValidId(parts[3]))
        {
            return false;
        }

        (site, gateway) = (parts[2], parts[3]);
        return true;
    }

    /// <summary>Where the platform sends a command to one gateway (docs/protocol.md, "Commands").</summary>
    public static string Command(string site, string gateway, string command) =>
        $"{Root}/{Checked(site)}/{Checked(gateway)}/commands/{Checked(command)}";

    /// <summary>Every command to one gateway: what the gateway subscribes to.</summary>
    public static string AllCommands(string site, string gateway) => $"{Root}/{Checked(site)}/{Checked(gateway)}/commands/+";

    /// <summary>Where a gateway answers a command.</summary>
    public static string Reply(string site, string gateway, string command) =>
        $"{Root}/{Checked(site)}/{Checked(gateway)}/replies/{Checked(command)}";

    /// <summary>Every gateway's replies: what a sender of commands subscribes to.</summary>
    public const string AllReplies = Root + "/+/+/replies/+";

    /// <summary>Splits a command topic into its site, gateway and command; false for any other topic.</summary>
    public static bool TryParseCommand(string topic, out CommandTopic parsed) => TryParseCommandTopic(topic, "commands", out parsed);

    /// <summary>Splits a reply topic into its site, gateway and the command it answers; false for any other topic.</summary>
    public static bool TryParseReply(string topic, out CommandTopic parsed) => TryParseCommandTopic(topic, "replies", out parsed);

    /// <summary>The same shape as a device topic, with the command where the device is.</summary>
    private static bool TryParseCommandTopic(string topic, string kind, out CommandTopic parsed)
    {
        var matches = TryParseDeviceTopic(topic, kind, out var source);
        parsed = matches ? new CommandTopic(source.Site, source.Gateway, source.Device) : default;
        return matches;
    }

    /// <summary>Where an installer's check sends its test message and waits for it to come back.</summary>
    public static string Check(string site, string gateway) => $"{Root}/{Checked(site)}/{Checked(gateway)}/check";

    /// <summary>
    /// Splits a readings topic, plain or partitioned, into its site, gateway and device; false for any other topic,
    /// including a partitioned one whose partition is not the device's.
    /// </summary>
    public static bool TryParseReadings(string topic, out ReadingSource source) => TryParseDeviceTopic(topic, "readings", out source);

    /// <summary>Splits a device events topic into its site, gateway and device; false for any other topic.</summary>
    public static bool TryParseEvents(string topic, out ReadingSource source) => TryParseDeviceTopic(topic, "events", out source);

    /// <summary>
    /// Only readings may carry a partition segment (docs/scale-out.md). Split in place: this runs for every message
    /// ingest receives, and only the three identifiers become strings.
    /// </summary>
    private static bool TryParseDeviceTopic(string topic, string kind, out ReadingSource source)
    {
        source = default;
        var text = topic.AsSpan();
        // One more than the longest topic: a topic with more segments leaves the rest in the last range.
        Span<Range> parts = stackalloc Range[8];
        var count = text.Split(parts, '/');
        var partitioned = kind == "readings" && count == 7;
        if ((count != 6 && !partitioned) || !text[parts[0]].SequenceEqual("edgesafety") || !text[parts[1]].SequenceEqual("v1")
            || !text[parts[4]].SequenceEqual(kind))
        {
            return false;
        }

        var site = text[parts[2]];
        var gateway = text[parts[3]];
        var device = text[parts[5]];
        if (!IsValidId(site) || !IsValidId(gateway) || !IsValidId(device) || (partitioned && !IsPartition(text[parts[6]], PartitionOf(site, gateway, device))))
        {
            return false;
        }

        source = new ReadingSource(site.ToString(), gateway.ToString(), device.ToString());
        return true;
    }

    /// <summary>The segment is the partition's number exactly as publishers write it (no sign, no leading zero).</summary>
    private static bool IsPartition(ReadOnlySpan<char> segment, int partition)
    {
        Span<char> expected = stackalloc char[4];
        return partition.TryFormat(expected, out var length, provider: CultureInfo.InvariantCulture) && segment.SequenceEqual(expected[..length]);
    }

    private static string Checked(string id) =>
        IsValidId(id) ? id : throw new ArgumentException($"'{id}' is not a valid identifier (letters, digits, '-', '_'; 1-64).", nameof(id));
}

/// <summary>Where a reading or a device event comes from, as named by its topic.</summary>
public readonly record struct ReadingSource(string Site, string Gateway, string Device);

/// <summary>The gateway a command or reply topic names, and the command.</summary>
public readonly record struct CommandTopic(string Site, string Gateway, string Command);
