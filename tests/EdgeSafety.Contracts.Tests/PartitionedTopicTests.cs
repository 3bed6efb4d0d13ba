namespace EdgeSafety.Contracts.Tests;

/// <summary>The partitioned readings topic (docs/protocol.md, docs/scale-out.md).</summary>
public class PartitionedTopicTests
{
    [Theory]
    // FNV-1a 32 of "site/gateway/device" mod 64, computed independently (Python: see docs/protocol.md).
    [InlineData("haizhu", "gw-01", "meter-301", 14)]
    [InlineData("a", "b", "c", 43)]
    public void A_device_is_in_the_partition_the_protocol_defines(string site, string gateway, string device, int partition)
    {
        Topics.Partition(site, gateway, device).Should().Be(partition);
        Topics.PartitionedReadings(site, gateway, device).Should().Be($"edgesafety/v1/{site}/{gateway}/readings/{device}/{partition}");
    }

    [Theory]
    // FNV-1a 32 of "site/gateway" mod 64, computed independently in Python as above.
    [InlineData("haizhu", "gw-01", 51)]
    [InlineData("haizhu", "gw-02", 6)]
    [InlineData("a", "b", 1)]
    public void A_gateway_is_in_the_partition_of_its_site_and_gateway(string site, string gateway, int partition) =>
        Topics.GatewayPartition(site, gateway).Should().Be(partition);

    [Fact]
    public void Devices_spread_over_every_partition()
    {
        var partitions = Enumerable.Range(0, 5000).Select(i => Topics.Partition("haizhu", $"gw-{i / 50}", $"meter-{i % 50}")).ToList();
        partitions.Distinct().Should().HaveCount(Topics.PartitionCount);
        partitions.GroupBy(p => p).Max(g => g.Count()).Should().BeLessThan(3 * 5000 / Topics.PartitionCount);
    }

    [Fact]
    public void A_partitioned_reading_parses_like_a_plain_one()
    {
        var payload = ReadingCodec.Serialize(new Reading("noise-1", DeviceKind.Noise, "noise-sensor-hr0", null, 3, DateTimeOffset.UtcNow,
            new Dictionary<string, double> { ["db_a"] = 50 }));

        ReadingCodec.TryParse(Topics.PartitionedReadings("haizhu", "gw-02", "noise-1"), payload, DateTimeOffset.UtcNow, out var source, out var reading, out _)
            .Should().BeTrue();
        source.Should().Be(new ReadingSource("haizhu", "gw-02", "noise-1"));
        reading!.Sequence.Should().Be(3);
    }

    [Theory]
    [InlineData("edgesafety/v1/haizhu/gw-01/readings/meter-301/15")]
    [InlineData("edgesafety/v1/haizhu/gw-01/readings/meter-301/014")]
    [InlineData("edgesafety/v1/haizhu/gw-01/readings/meter-301/x")]
    public void A_partition_that_is_not_the_devices_is_refused(string topic) =>
        Topics.TryParseReadings(topic, out _).Should().BeFalse();

    [Fact]
    public void A_partition_filter_matches_its_partition_only()
    {
        Topics.ReadingsInPartition(14).Should().Be("edgesafety/v1/+/+/readings/+/14");
        FluentActions.Invoking(() => Topics.ReadingsInPartition(Topics.PartitionCount)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
