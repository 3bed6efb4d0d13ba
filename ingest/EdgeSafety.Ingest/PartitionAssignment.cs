using System.Globalization;
using EdgeSafety.Contracts;

namespace EdgeSafety.Ingest;

/// <summary>
/// Which readings one ingest instance takes (docs/scale-out.md): a set of the partitions of the partitioned readings
/// topic, written "all" or as ranges ("0-31", "0-15,48-63", "7"), and whether it also takes the plain, unpartitioned
/// topic. Every device is in exactly one partition, so instances with disjoint sets each see a device's readings all
/// and in order.
/// </summary>
public sealed record PartitionAssignment(IReadOnlyList<int> Partitions, bool Unpartitioned)
{
    /// <summary>The topic filters to subscribe to: one per partition, or the one filter of every partition when all are taken.</summary>
    public IReadOnlyList<string> TopicFilters =>
    [
        .. Unpartitioned ? [Topics.AllReadings] : Array.Empty<string>(),
        .. Partitions.Count == Topics.PartitionCount ? [Topics.AllPartitionedReadings] : Partitions.Select(Topics.ReadingsInPartition),
    ];

    /// <summary>
    /// Whether this instance handles a device's events: the instance that takes the device's partition, so that with
    /// several instances each event raises or clears its alert once, in the device's order (docs/scale-out.md).
    /// </summary>
    public bool TakesDevice(string site, string gateway, string device) => Partitions.Contains(Topics.Partition(site, gateway, device));

    /// <summary>Whether this instance follows a gateway's status: the instance that takes the gateway's partition.</summary>
    public bool TakesGateway(string site, string gateway) => Partitions.Contains(Topics.GatewayPartition(site, gateway));

    /// <summary>
    /// Whether this instance counts and logs a device event or gateway status it refused: the instance that would
    /// have acted on it, as far as its topic tells (the device's, or the gateway's, partition), so that a malformed
    /// message every instance receives is one warning and one count, not one per instance. A topic that names no
    /// device or gateway falls to the instance that takes partition 0.
    /// </summary>
    public bool TakesRefused(string topic) =>
        Topics.TryParseEvents(topic, out var source) ? TakesDevice(source.Site, source.Gateway, source.Device)
        : Topics.TryParseStatus(topic, out var site, out var gateway) ? TakesGateway(site, gateway)
        : Partitions.Contains(0);

    public static bool TryParse(string text, bool unpartitioned, out PartitionAssignment assignment, out string error)
    {
        assignment = null!;
        error = "";
        var partitions = new SortedSet<int>();
        if (text.Trim() == "all")
        {
            partitions.UnionWith(Enumerable.Range(0, Topics.PartitionCount));
        }
        else if (text.Trim().Length > 0)
        {
            foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
            {
                var bounds = part.Split('-', StringSplitOptions.TrimEntries);
                if (bounds.Length is not (1 or 2)
                    || !int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
                    || !int.TryParse(bounds[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var last)
                    || first > last || last >= Topics.PartitionCount)
                {
                    error = $"'{part}' is not a partition or range of partitions from 0 to {Topics.PartitionCount - 1} (e.g. \"0-31\", \"all\").";
                    return false;
                }

                partitions.UnionWith(Enumerable.Range(first, last - first + 1));
            }
        }

        if (partitions.Count == 0 && !unpartitioned)
        {
            error = "An instance must take some partitions or the unpartitioned topic.";
            return false;
        }

        assignment = new PartitionAssignment([.. partitions], unpartitioned);
        return true;
    }
}
