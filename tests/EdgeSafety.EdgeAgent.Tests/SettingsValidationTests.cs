using EdgeSafety.TestSupport;

namespace EdgeSafety.EdgeAgent.Tests;

/// <summary>An installer's typo stops the agent at start, naming the setting, instead of failing silently later.</summary>
public class SettingsValidationTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("--Agent:Devices:0:UnitId=300", "Agent.Devices[0].UnitId: The field UnitId must be between 1 and 247.")]
    [InlineData("--Agent:Devices:1:Bus=bus9", "Agent.Devices[1].Bus: 'bus9' is not one of the configured buses (bus1)")]
    [InlineData("--Agent:Devices:2:Profile=sdm999", "Agent.Devices[2].Profile: no profile 'sdm999'")]
    [InlineData("--Agent:Devices:1:UnitId=1", "Agent.Devices: meter-301 and meter-302 share unit id 1 on bus 'bus1'")]
    [InlineData("--Agent:GatewayId=gw/01", "Agent.GatewayId: must be 1-64 letters, digits, '-' or '_'")]
    [InlineData("--Agent:Buses:0:BaudRate=115", "Agent.Buses[0].BaudRate: The field BaudRate must be between 1200 and 921600.")]
    [InlineData("--Mqtt:Port=0", "Mqtt.Port")]
    public async Task A_bad_setting_stops_the_agent_at_start_and_names_the_setting(string setting, string expected)
    {
        using var agent = ServiceProcess.Start("EdgeSafety.EdgeAgent", LoopbackPort.Next(), setting);

        var exitCode = await agent.WaitForExitAsync(Bound);

        exitCode.Should().Be(2, agent.Output);
        agent.Output.Should().Contain("invalid settings, not starting").And.Contain(expected);
        agent.Output.Should().NotContain("Unhandled exception");
    }
}
