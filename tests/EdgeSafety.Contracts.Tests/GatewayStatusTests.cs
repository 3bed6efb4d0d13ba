using System.Text;

namespace EdgeSafety.Contracts.Tests;

public sealed class GatewayStatusTests
{
    private const string Topic = "edgesafety/v1/haizhu-demo/gw-01/status";

    [Fact]
    public void The_online_status_carries_the_recorded_warnings_keys_and_the_offline_will_none()
    {
        GatewayStatus.TryParse(Topic, GatewayStatus.Online("gw-01", ["quiet-hours", "noise-exceedance"]), out var site, out var gateway, out var online, out var warnings)
            .Should().BeTrue();
        (site, gateway, online).Should().Be(("haizhu-demo", "gw-01", true));
        warnings.Should().Equal("noise-exceedance", "quiet-hours");

        GatewayStatus.TryParse(Topic, GatewayStatus.Online("gw-01", []), out _, out _, out _, out var none).Should().BeTrue();
        none.Should().BeEmpty("a gateway without a player plays nothing");
        GatewayStatus.TryParse(Topic, GatewayStatus.Offline("gw-01"), out _, out _, out online, out var unsaid).Should().BeTrue();
        (online, unsaid).Should().Be((false, (IReadOnlyList<string>?)null));
    }

    [Fact]
    public void Keys_that_are_not_identifiers_are_left_out_and_the_status_still_counts()
    {
        var payload = Encoding.UTF8.GetBytes("""{ "v": 1, "gateway": "gw-01", "state": "online", "warnings": ["quiet-hours", "../etc", 7, "a b"] }""");
        GatewayStatus.TryParse(Topic, payload, out _, out _, out var online, out var warnings).Should().BeTrue();
        online.Should().BeTrue();
        warnings.Should().Equal("quiet-hours");
    }
}
