using EdgeSafety.Appliances;

namespace EdgeSafety.Simulators.Models;

/// <summary>
/// A household circuit from the appliance library, as its meter reads it: the household's own day (lights,
/// cooking, screens, the refrigerator) plus whatever the control API plugs in. The model knows every value a
/// harmonic meter measures; a device serves those its profile has registers for (a basic meter: no harmonics).
/// </summary>
public sealed class HouseholdMeterModel(LiveHousehold household, double timeScale) : IValueModel
{
    private static readonly string[] HarmonicNames = Enumerable.Range(HarmonicPercents.FirstOrder, HarmonicPercents.LastOrder - HarmonicPercents.FirstOrder + 1)
        .Select(order => $"h{order}_pct").ToArray();

    // A meter that has been in service for a while.
    private double _energyKwh = 1_234.5;

    public LiveHousehold Household => household;

    public void Step(TimeSpan elapsed, IDictionary<string, double> values)
    {
        var simulated = elapsed * timeScale;
        var sample = household.Advance(simulated);
        _energyKwh += sample.PowerW * simulated.TotalHours / 1_000;
        values["voltage_v"] = sample.VoltageV;
        values["current_a"] = sample.CurrentA;
        values["power_w"] = sample.PowerW;
        values["apparent_va"] = sample.ApparentVa;
        values["reactive_var"] = sample.ReactiveVar;
        values["power_factor"] = sample.PowerFactor;
        values["frequency_hz"] = sample.FrequencyHz;
        values["energy_kwh"] = _energyKwh;
        values["thd_i_pct"] = sample.ThdIPct;
        for (var order = HarmonicPercents.FirstOrder; order <= HarmonicPercents.LastOrder; order++)
        {
            values[HarmonicNames[order - HarmonicPercents.FirstOrder]] = sample.Harmonics[order];
        }
    }
}
