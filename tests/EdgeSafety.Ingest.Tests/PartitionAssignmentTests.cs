using EdgeSafety.Contracts;

namespace EdgeSafety.Ingest.Tests;

/// <summary>Which of two instances splitting the partitions answers for a message every instance receives and refuses.</summary>
public sealed class PartitionAssignmentTests
{
    private static readonly PartitionAssignment Lower = Parse("0-31");
    private static readonly PartitionAssignment Upper = Parse("32-63");

    [Theory]
    [InlineData("meter-1")]
    [InlineData("meter-2")]
    [InlineData("meter-3")]
    [InlineData("meter-4")]
    public void A_refused_event_is_the_business_of_the_instance_that_takes_its_device(string meter)
    {
        var topic = Topics.Events("haizhu", "gw-01", meter);
        var onLower = Topics.Partition("haizhu", "gw-01", meter) < 32;

        (Lower.TakesRefused(topic), Upper.TakesRefused(topic)).Should().Be((onLower, !onLower));
    }

    [Theory]
    [InlineData("gw-01")]
    [InlineData("gw-02")]
    public void A_refused_status_is_the_business_of_the_instance_that_follows_its_gateway(string gateway)
    {
        var topic = Topics.Status("haizhu", gateway);
        var onLower = Topics.GatewayPartition("haizhu", gateway) < 32;

        (Lower.TakesRefused(topic), Upper.TakesRefused(topic)).Should().Be((onLower, !onLower));
    }

    [Theory]
    [InlineData("edgesafety/v1/haizhu/gw 01/status")]
    [InlineData("edgesafety/v1/haizhu/gw-01/events/meter.1")]
    public void A_topic_that_names_no_gateway_or_device_falls_to_the_instance_of_partition_0(string topic)
    {
        (Lower.TakesRefused(topic), Upper.TakesRefused(topic)).Should().Be((true, false));
    }

    private static PartitionAssignment Parse(string partitions)
    {
        PartitionAssignment.TryParse(partitions, unpartitioned: false, out var assignment, out var error).Should().BeTrue(error);
        return assignment;
    }
}
