using EdgeSafety.Appliances;

namespace EdgeSafety.Simulators.Models;

/// <summary>
/// A household circuit from the appliance library, as its meter reads it: the household's own day (lights,
/// cooking, screens, the refrigerator) plus whatever the control API plugs in. The model knows every value a
/// harmonic meter measures; a device serves those its profile has registers for (a basic meter: no harmonics).
/// </summary>
public sealed class HouseholdMeterModel(LiveHousehold household, double timeScale) : IValueModel
{
    // A meter that has been in service for a while.
    private double _energyKwh = 1_234.5;

    public LiveHousehold Household => household;

    public void Step(TimeSpan elapsed, IDictionary<string, double> values)
    {
        var simulated = elapsed * timeScale;
        var sample = household.Advance(simulated);
        _energyKwh += sample.PowerW * simulated.TotalHours / 1_000;
        sample.WriteValues(values);
        values["energy_kwh"] = _energyKwh;
    }
}
