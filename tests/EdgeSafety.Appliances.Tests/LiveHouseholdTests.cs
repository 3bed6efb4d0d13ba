namespace EdgeSafety.Appliances.Tests;

public class LiveHouseholdTests
{
    private static readonly DateTimeOffset Evening = new(2025, 7, 1, 21, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void A_plugged_in_charger_adds_its_power_and_harmonics_until_unplugged()
    {
        var household = new LiveHousehold(4, Evening, new LiveHouseholdOptions { Schedule = false });
        var idle = household.Advance(TimeSpan.FromSeconds(1));

        var plugged = household.PlugIn(ApplianceKind.EbikeLeadAcid48V, stateOfCharge: 0.3);
        var charging = household.Advance(TimeSpan.FromSeconds(30));

        plugged.Name.Should().Be("ebike-lead-acid-48v");
        idle.PowerW.Should().Be(0);
        charging.PowerW.Should().BeInRange(80, 260);
        charging.Harmonics[3].Should().BeGreaterThan(60);
        household.Plugged.Should().ContainSingle().Which.Stage.Should().Be(ChargingStage.Bulk);

        household.Unplug(ApplianceKind.EbikeLeadAcid48V).Should().BeTrue();
        household.Advance(TimeSpan.FromSeconds(1)).PowerW.Should().Be(0);
        household.Plugged.Should().BeEmpty();
        household.Unplug(ApplianceKind.EbikeLeadAcid48V).Should().BeFalse();
    }

    [Fact]
    public void The_household_schedule_runs_on_as_time_passes()
    {
        var household = new LiveHousehold(8, Evening, new LiveHouseholdOptions { Household = HouseholdKind.FamilyFlat });
        var powers = new List<double>();
        for (var minute = 0; minute < 24 * 60; minute++)
        {
            powers.Add(household.Advance(TimeSpan.FromMinutes(1)).PowerW);
        }

        household.Now.Should().Be(Evening.AddDays(1));
        powers.Max().Should().BeGreaterThan(500, "something heats or cooks in a family flat's day");
        powers.Distinct().Count().Should().BeGreaterThan(1000);
    }
}
