namespace EdgeSafety.Simulators.Models;

/// <summary>
/// A rented room's circuit as a harmonic meter sees it: an always-on base load with electronics (router,
/// standby), a refrigerator that cycles, and now and then a kettle. Enough to look alive on the dashboard;
/// the appliance-level library for the e-bike classifier is its own piece of work.
/// </summary>
public sealed class HouseholdMeterModel(Random random) : IValueModel
{
    private const double NominalVoltage = 230.0;
    private const double BaseLoadWatts = 45.0;
    private const double FridgeWatts = 110.0;
    private const double KettleWatts = 1_800.0;

    // The odd-harmonic spectrum of a switched-mode power supply, in % of its fundamental current.
    private static readonly double[] ElectronicsSpectrum = [0, 0, 0, 70, 0, 45, 0, 25, 0, 12, 0, 8, 0, 6, 0, 4];

    private double _phase;
    private double _energyKwh = 1_234.5;
    private bool _fridgeOn;
    private TimeSpan _fridgeRemaining = TimeSpan.FromSeconds(20);
    private TimeSpan _kettleRemaining;

    public void Step(TimeSpan elapsed, IDictionary<string, double> values)
    {
        _phase += elapsed.TotalSeconds / 60.0;
        AdvanceAppliances(elapsed);

        var voltage = NominalVoltage + (3 * Math.Sin(_phase)) + Gaussian(0.3);
        var electronics = BaseLoadWatts + Gaussian(1.5);
        var fridge = _fridgeOn ? FridgeWatts + Gaussian(2) : 0;
        var kettle = _kettleRemaining > TimeSpan.Zero ? KettleWatts + Gaussian(10) : 0;

        // Electronics run at a displacement power factor of 0.95, the fridge's motor at 0.8, the kettle at 1.
        var power = electronics + fridge + kettle;
        var reactive = (electronics * Math.Tan(Math.Acos(0.95))) + (fridge * Math.Tan(Math.Acos(0.8)));
        var apparent = Math.Sqrt((power * power) + (reactive * reactive));
        var current = apparent / voltage;

        // Only the electronics' share of the current carries harmonics.
        var electronicsShare = electronics / Math.Max(power, 1);
        var harmonicsSquared = 0.0;
        for (var order = 2; order <= 31; order++)
        {
            var spectrum = order < ElectronicsSpectrum.Length ? ElectronicsSpectrum[order] : 0;
            var percent = Math.Max(0, (spectrum * electronicsShare) + Math.Abs(Gaussian(0.2)));
            values[$"h{order}_pct"] = percent;
            harmonicsSquared += percent * percent;
        }

        _energyKwh += power * elapsed.TotalHours / 1_000;
        values["voltage_v"] = voltage;
        values["current_a"] = current;
        values["power_w"] = power;
        values["apparent_va"] = apparent;
        values["reactive_var"] = reactive;
        values["power_factor"] = power / apparent;
        values["frequency_hz"] = 50 + Gaussian(0.01);
        values["energy_kwh"] = _energyKwh;
        values["thd_i_pct"] = Math.Sqrt(harmonicsSquared);
    }

    private void AdvanceAppliances(TimeSpan elapsed)
    {
        _fridgeRemaining -= elapsed;
        if (_fridgeRemaining <= TimeSpan.Zero)
        {
            _fridgeOn = !_fridgeOn;
            _fridgeRemaining = TimeSpan.FromSeconds(_fridgeOn ? random.Next(20, 40) : random.Next(30, 60));
        }

        _kettleRemaining -= elapsed;
        if (_kettleRemaining <= TimeSpan.Zero && random.NextDouble() < elapsed.TotalSeconds / 300)
        {
            _kettleRemaining = TimeSpan.FromSeconds(random.Next(60, 150));
        }
    }

    private double Gaussian(double sigma) => sigma * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
