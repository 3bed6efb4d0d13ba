using EdgeSafety.Analytics.Charging;
using EdgeSafety.Analytics.Cli.Charging;
using EdgeSafety.Appliances;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Analytics.Tests;

/// <summary>A household of the appliance library with nothing scheduled: the test plugs in and unplugs, time moves by the test.</summary>
internal sealed class SimulatedHousehold(int seed)
{
    public static readonly DateTimeOffset Start = new(2026, 11, 22, 20, 0, 0, TimeSpan.FromHours(8));

    public LiveHousehold Live { get; } = new(seed, Start, new LiveHouseholdOptions { Schedule = false });

    /// <summary>The committed models, which the train command made.</summary>
    public static ChargingModels CommittedModels() => ChargingModels.Load(RepositoryPaths.File("analytics", "models"));

    /// <summary>Advances by whole seconds, reading the meter every <paramref name="interval"/>; yields each reading as the detector takes it.</summary>
    public IEnumerable<MeterObservation> Run(TimeSpan duration, TimeSpan interval)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += interval)
        {
            yield return SimulatedMeter.Observation(Live.Advance(interval));
        }
    }
}
