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
    [InlineData("--Agent:Buses:0:InterFrameGapMilliseconds=-1", "Agent.Buses[0].InterFrameGapMilliseconds: The field InterFrameGapMilliseconds must be between 0 and 1000.")]
    [InlineData("--Agent:Buses:0:Retries=9", "Agent.Buses[0].Retries: The field Retries must be between 0 and 5.")]
    [InlineData("--Agent:Buses:0:Rs485RtsMode=Sideways", "Agent.Buses[0].Rs485RtsMode: must be None, Up or Down")]
    [InlineData("--Mqtt:Port=abc", "Failed to convert configuration value 'abc' at 'Mqtt:Port' to type 'System.Int32'.")]
    [InlineData("--Agent:TcpEndpoints:0:Name=bus1 --Agent:TcpEndpoints:0:Host=10.0.0.7", "Agent.Buses: the name 'bus1' is used twice")]
    [InlineData("--Agent:TcpEndpoints:0:Name=tcp1 --Agent:TcpEndpoints:0:Host=10.0.0.7 --Agent:TcpEndpoints:0:Port=0",
        "Agent.TcpEndpoints[0].Port: The field Port must be between 1 and 65535.")]
    [InlineData("--Store:Directory=/proc/edgesafety-store", "Store.Directory: cannot write to /proc/edgesafety-store")]
    public async Task A_bad_setting_stops_the_agent_at_start_and_names_the_setting(string settings, string expected)
    {
        using var agent = ServiceProcess.Start("EdgeSafety.EdgeAgent", LoopbackPort.Next(), settings.Split(' '));

        var exitCode = await agent.WaitForExitAsync(Bound);

        exitCode.Should().Be(2, agent.Output);
        agent.Output.Should().Contain("invalid settings, not starting").And.Contain(expected);
        agent.Output.Should().NotContain("Unhandled exception");
    }
}
