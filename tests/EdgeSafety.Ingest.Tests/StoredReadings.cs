using System.Globalization;
using EdgeSafety.Influx;
using EdgeSafety.LoadGenerator;

namespace EdgeSafety.Ingest.Tests;

/// <summary>
/// What a load run left in InfluxDB, device by device: the count of distinct points and the lowest and highest
/// sequence number. The load generator gives every reading of a device its own timestamp, so lowest 0 and count =
/// highest + 1 mean no sequence number is missing (a redelivery rewrites the same point, never adds one).
/// </summary>
public static class StoredReadings
{
    public static async Task<IReadOnlyDictionary<string, (long Count, long Min, long Max)>> ReadAsync(InfluxClient influx, string site)
    {
        var series = await influx.QueryAsync(
            $"SELECT count(seq), min(seq), max(seq) FROM meter, noise WHERE site = {InfluxQL.Literal(site)} GROUP BY gateway, device");
        return series.ToDictionary(
            s => $"{s.Tags["gateway"]}/{s.Tags["device"]}",
            s => (s.Values[0][1].GetInt64(), s.Values[0][2].GetInt64(), s.Values[0][3].GetInt64()));
    }

    /// <summary>Throws (for <c>Eventually</c>) until every reading the broker acknowledged is in InfluxDB.</summary>
    public static async Task ShouldHoldEveryAcknowledgedAsync(InfluxClient influx, string site, LoadResult load)
    {
        var stored = await ReadAsync(influx, site);
        var missing = load.Devices
            .Where(d => d.Acknowledged > 0)
            .Select(d => (Key: $"{d.Gateway}/{d.Device}", d.Acknowledged, Stored: stored.GetValueOrDefault($"{d.Gateway}/{d.Device}")))
            .Where(d => !(d.Stored.Min == 0 && d.Stored.Count == d.Stored.Max + 1 && d.Stored.Count >= d.Acknowledged))
            .Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Key}: {d.Stored.Count} stored (seq {d.Stored.Min}..{d.Stored.Max}) of {d.Acknowledged} acknowledged"))
            .ToList();
        missing.Should().BeEmpty("every reading the broker acknowledged must reach InfluxDB");
    }
}
