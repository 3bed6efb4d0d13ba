using EdgeSafety.TestSupport;

namespace EdgeSafety.EdgeAgent.Tests;

/// <summary>Wrong store settings stop the agent at start, each one named, before anything is written to disk.</summary>
public class StoreSettingsValidationTests
{
    [Fact]
    public async Task Bad_store_settings_stop_the_agent_at_start_and_each_is_named()
    {
        using var agent = ServiceProcess.Start("EdgeSafety.EdgeAgent", LoopbackPort.Next(),
            "--Store:Directory=", "--Store:FlushIntervalMilliseconds=-1", "--Store:MaxAgeHours=0");

        (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(2, agent.Output);
        agent.Output.Should().Contain("invalid settings, not starting")
            .And.Contain("Store.Directory: The Directory field is required.")
            .And.Contain("Store.FlushIntervalMilliseconds: The field FlushIntervalMilliseconds must be between 0 and 10000.")
            .And.Contain("Store.MaxAgeHours: The field MaxAgeHours must be between 1 and 8760.");
    }
}
