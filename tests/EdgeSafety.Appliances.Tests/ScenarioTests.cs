using System.Globalization;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Appliances.Tests;

public class ScenarioTests
{
    private static readonly DateTimeOffset Midnight = new(2025, 7, 1, 0, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void The_same_seed_gives_the_same_samples_and_ground_truth_and_another_seed_does_not()
    {
        GeneratedHousehold Make(int seed) =>
            HouseholdScenario.Generate(seed, ParameterSet.Training, Midnight.AddHours(18), TimeSpan.FromHours(3), TimeSpan.FromSeconds(1));

        var first = Make(11);
        var again = Make(11);
        var other = Make(12);

        first.Samples.Should().Equal(again.Samples);
        first.Samples.Should().Equal(first.Samples, "every enumeration yields the same values");
        first.Truth.Appliances.Should().Equal(again.Truth.Appliances);
        first.Truth.ChargingSessions.Select(s => (s.Charger, s.PluggedIn, s.EnergyWh))
            .Should().Equal(again.Truth.ChargingSessions.Select(s => (s.Charger, s.PluggedIn, s.EnergyWh)));
        first.Samples.Select(s => s.PowerW).Should().NotEqual(other.Samples.Select(s => s.PowerW));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(60)]
    public void A_day_has_one_sample_per_interval_with_consistent_values(int seconds)
    {
        var day = HouseholdScenario.Generate(3, ParameterSet.Training, Midnight, TimeSpan.FromDays(1), TimeSpan.FromSeconds(seconds));

        var samples = day.Samples.ToList();

        samples.Should().HaveCount(86_400 / seconds);
        samples[1].Timestamp.Should().Be(Midnight.AddSeconds(seconds));
        samples.Should().OnlyContain(s => s.VoltageV > 205 && s.VoltageV < 235 && Math.Abs(s.FrequencyHz - 50) < 0.1);
        samples.Where(s => s.CurrentA > 0).Should().OnlyContain(s =>
            Math.Abs(s.ApparentVa - (s.VoltageV * s.CurrentA)) < 1e-6 * s.ApparentVa && s.PowerFactor <= 1 && s.PowerFactor > 0);
    }

    [Fact]
    public void Plugging_in_an_ebike_in_the_ground_truth_shows_in_the_meter_readings()
    {
        var options = new ScenarioOptions { ChargingDayProbability = 1 };
        var sessions = 0;
        for (var seed = 0; sessions < 6 && seed < 60; seed++)
        {
            var day = HouseholdScenario.Generate(seed, ParameterSet.Training, Midnight, TimeSpan.FromDays(1), TimeSpan.FromSeconds(1), options);
            if (day.Truth.ChargingSessions.Count == 0)
            {
                continue;
            }

            var samples = day.Samples.ToList();
            foreach (var session in day.Truth.ChargingSessions.Where(s => s.PluggedIn > Midnight.AddSeconds(10) && s.PluggedIn < Midnight.AddDays(1).AddSeconds(-120)))
            {
                var index = (int)(session.PluggedIn - Midnight).TotalSeconds;
                var before = samples[index - 1].PowerW;

                // A minute in, unless something else switched off meanwhile, the charger's power has been added.
                var othersChanged = day.Truth.Appliances.Any(a => a.Kind != session.Charger
                    && ((a.On > session.PluggedIn.AddSeconds(-2) && a.On < session.PluggedIn.AddSeconds(62))
                        || (a.Off > session.PluggedIn.AddSeconds(-2) && a.Off < session.PluggedIn.AddSeconds(62))));
                if (!othersChanged)
                {
                    (samples[index + 60].PowerW - before).Should().BeGreaterThan(20, $"seed {seed}, {session.Charger} at {session.PluggedIn}");
                    sessions++;
                }

                session.Stages.Should().NotBeEmpty();
                session.Stages[0].Start.Should().Be(session.PluggedIn);
                session.EnergyWh.Should().BePositive();
                session.ChargingEnded.Should().BeOnOrBefore(session.Unplugged);
            }
        }

        sessions.Should().BeGreaterThanOrEqualTo(6);
    }

    [Fact]
    public void Evening_and_night_hold_most_charging_sessions()
    {
        var options = new ScenarioOptions { ChargingDayProbability = 1 };
        var hours = Enumerable.Range(0, 150)
            .SelectMany(seed => HouseholdScenario.Generate(seed, ParameterSet.Training, Midnight, TimeSpan.FromDays(1), TimeSpan.FromSeconds(60), options).Truth.ChargingSessions)
            .Select(s => s.PluggedIn.Hour)
            .ToList();

        hours.Count.Should().BeGreaterThan(60);
        hours.Count(h => h >= 18 || h < 2).Should().BeGreaterThan((int)(0.7 * hours.Count));
        hours.Count(h => h is >= 9 and < 17).Should().BePositive("some charge in the daytime");
    }

    [Fact]
    public void Households_limited_to_some_charger_kinds_charge_only_those_at_the_usual_times()
    {
        var pfcOnly = new ScenarioOptions { ChargingDayProbability = 1, EbikeChargers = [ApplianceKind.EbikeLithium48VPfc, ApplianceKind.EbikeLithium60VPfc] };
        var drawn = Enumerable.Range(0, 40).Select(seed => HouseholdScenario.Generate(seed, ParameterSet.Training, Midnight, TimeSpan.FromDays(1), TimeSpan.FromSeconds(60), new ScenarioOptions { ChargingDayProbability = 1 }).Truth).ToList();
        var limited = Enumerable.Range(0, 40).Select(seed => HouseholdScenario.Generate(seed, ParameterSet.Training, Midnight, TimeSpan.FromDays(1), TimeSpan.FromSeconds(60), pfcOnly).Truth).ToList();

        drawn.SelectMany(t => t.ChargingSessions).Select(s => s.Charger).Should().Contain(k => k != ApplianceKind.EbikeLithium48VPfc && k != ApplianceKind.EbikeLithium60VPfc);
        limited.SelectMany(t => t.ChargingSessions).Select(s => s.Charger).Should().OnlyContain(k => k == ApplianceKind.EbikeLithium48VPfc || k == ApplianceKind.EbikeLithium60VPfc)
            .And.Contain(ApplianceKind.EbikeLithium48VPfc).And.Contain(ApplianceKind.EbikeLithium60VPfc);
        limited.Select(t => t.ChargingSessions.Select(s => s.PluggedIn)).Should().BeEquivalentTo(drawn.Select(t => t.ChargingSessions.Select(s => s.PluggedIn)), o => o.WithStrictOrdering(),
            "only the charger's kind is drawn differently: the same households plug in at the same moments");
        limited.Select(t => t.Household).Should().Equal(drawn.Select(t => t.Household));
    }

    [Fact]
    public void Held_out_parameters_lie_outside_the_training_ranges()
    {
        foreach (var kind in ApplianceCatalog.Kinds)
        {
            var ranges = ApplianceCatalog.RangesOf(kind);
            ranges.Should().NotBeEmpty();
            for (var seed = 0; seed < 30; seed++)
            {
                var training = ApplianceCatalog.Create(kind, ParameterSet.Training, new Random(seed));
                var heldOut = ApplianceCatalog.Create(kind, ParameterSet.HeldOut, new Random(seed));
                foreach (var range in ranges)
                {
                    training.Parameters.Should().ContainKey(range.Name, $"{kind} draws every documented range");
                    range.InTrainingRange(training.Parameters[range.Name]).Should().BeTrue($"{kind} {range.Name}");
                    var value = heldOut.Parameters[range.Name];
                    value.Should().BeInRange(range.HeldOutMin, range.HeldOutMax, $"{kind} {range.Name}");
                    if (!range.IsShared)
                    {
                        range.InTrainingRange(value).Should().BeFalse($"{kind} {range.Name} = {value} is held out");
                    }
                }
            }
        }
    }

    [Fact]
    public void Held_out_households_draw_their_appliances_from_the_held_out_ranges()
    {
        var day = HouseholdScenario.Generate(5, ParameterSet.HeldOut, Midnight, TimeSpan.FromDays(1), TimeSpan.FromSeconds(60), new ScenarioOptions { ChargingDayProbability = 1 });
        var training = HouseholdScenario.Generate(5, ParameterSet.Training, Midnight, TimeSpan.FromDays(1), TimeSpan.FromSeconds(60), new ScenarioOptions { ChargingDayProbability = 1 });

        day.Truth.ChargingSessions.Select(s => s.RatedCurrentA).Should().NotIntersectWith(training.Truth.ChargingSessions.Select(s => s.RatedCurrentA));
        foreach (var session in day.Truth.ChargingSessions)
        {
            ApplianceCatalog.RangesOf(session.Charger).Single(r => r.Name == "rated_current").InTrainingRange(session.RatedCurrentA).Should().BeFalse();
        }
    }

    [Fact]
    public void The_documented_ranges_are_the_ranges_the_library_draws_from()
    {
        var document = File.ReadAllLines(RepositoryPaths.File("docs", "appliances.md"));

        var rows = ApplianceCatalog.Kinds.SelectMany(kind => ApplianceCatalog.RangesOf(kind).Select(range => string.Create(CultureInfo.InvariantCulture,
            $"| {ApplianceCatalog.NameOf(kind)} | {range.Name} | {range.Unit} | {range.TrainingMin:0.###} – {range.TrainingMax:0.###} | " +
            $"{(range.IsShared ? "same" : $"{range.HeldOutMin:0.###} – {range.TrainingMin:0.###} and {range.TrainingMax:0.###} – {range.HeldOutMax:0.###}")} |")));

        document.Should().Contain(rows);
    }
}
