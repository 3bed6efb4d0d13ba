namespace EdgeSafety.Appliances.Tests;

public class PhysicsTests
{
    private static readonly DateTimeOffset Noon = new(2025, 7, 1, 12, 0, 0, TimeSpan.FromHours(8));

    private static MeterSample Read(CurrentSpectrum current, double voltage = 220) => Metering.Read(Noon, voltage, 50, current);

    private static CurrentSpectrum CurrentOf(Appliance appliance, double secondsOn = 5)
    {
        var current = new CurrentSpectrum();
        appliance.AddCurrent(secondsOn, 220, current);
        return current;
    }

    [Fact]
    public void A_resistive_load_has_power_factor_one_and_no_distortion()
    {
        var kettle = ApplianceCatalog.Create(ApplianceKind.Kettle, ParameterSet.Training, new Random(1));

        var sample = Read(CurrentOf(kettle));

        sample.PowerW.Should().BeApproximately(kettle.Parameters["power"], 1e-6);
        sample.PowerFactor.Should().BeApproximately(1, 1e-12);
        sample.ReactiveVar.Should().BeApproximately(0, 1e-9);
        sample.ThdIPct.Should().Be(0);
        sample.CurrentA.Should().BeApproximately(kettle.Parameters["power"] / 220, 1e-9);
    }

    [Fact]
    public void Two_identical_capacitor_input_loads_draw_twice_the_current_with_the_same_spectrum()
    {
        var pulse = new RectifierPulse(55 * Math.PI / 180, 5 * Math.PI / 180, 0.01);
        var one = new CurrentSpectrum();
        pulse.AddTo(one, 150, 220);
        var two = new CurrentSpectrum();
        pulse.AddTo(two, 150, 220);
        pulse.AddTo(two, 150, 220);

        var single = Read(one);
        var both = Read(two);

        both.CurrentA.Should().BeApproximately(2 * single.CurrentA, 1e-9);
        both.PowerW.Should().BeApproximately(300, 1e-9);
        both.ThdIPct.Should().BeApproximately(single.ThdIPct, 1e-9);
        both.Harmonics[3].Should().BeApproximately(single.Harmonics[3], 1e-9);
        single.PowerFactor.Should().BeInRange(0.5, 0.7, "a capacitor-input rectifier without PFC");
        single.ThdIPct.Should().BeGreaterThan(80);
    }

    [Fact]
    public void Harmonics_of_two_loads_in_opposite_phase_cancel_while_their_fundamentals_add()
    {
        var angles = new double[CurrentSpectrum.MaxOrder + 1];
        var opposite = new double[CurrentSpectrum.MaxOrder + 1];
        for (var order = 3; order <= CurrentSpectrum.MaxOrder; order += 2)
        {
            angles[order] = 0.4;
            opposite[order] = 0.4 + Math.PI;
        }

        var current = new CurrentSpectrum();
        current.Add(HarmonicShape.OddHarmonics(0, 20, 1.5, angles), 2);
        current.Add(HarmonicShape.OddHarmonics(0, 20, 1.5, opposite), 2);

        var sample = Read(current);

        sample.PowerW.Should().BeApproximately(220 * 4, 1e-9);
        sample.Harmonics[3].Should().BeApproximately(0, 1e-9);
        sample.ThdIPct.Should().BeApproximately(0, 1e-9);
    }

    [Fact]
    public void Two_different_electronic_loads_sum_to_less_harmonic_current_than_each_alone_added_up()
    {
        // Pulses centred 37.5° apart: their fifth harmonics are about 190° apart.
        var narrow = new RectifierPulse(25 * Math.PI / 180, 10 * Math.PI / 180, 0);
        var wide = new RectifierPulse(80 * Math.PI / 180, 0, 0);
        var a = new CurrentSpectrum();
        narrow.AddTo(a, 100, 220);
        var b = new CurrentSpectrum();
        wide.AddTo(b, 100, 220);
        var sum = new CurrentSpectrum();
        narrow.AddTo(sum, 100, 220);
        wide.AddTo(sum, 100, 220);

        sum.Magnitude(5).Should().BeLessThan(0.5 * (a.Magnitude(5) + b.Magnitude(5)));
        sum.Magnitude(1).Should().BeGreaterThan(0.9 * (a.Magnitude(1) + b.Magnitude(1)));
        Read(sum).PowerW.Should().BeApproximately(200, 1e-9);
    }

    [Fact]
    public void A_diode_fed_heater_draws_the_even_harmonics_of_a_half_wave()
    {
        var current = new CurrentSpectrum();
        current.Add(HarmonicShape.HalfWave(), 3);

        var sample = Read(current);

        sample.Harmonics[2].Should().BeApproximately(100 * 4 / (3 * Math.PI), 1e-9);
        sample.Harmonics[3].Should().BeApproximately(0, 1e-12);
        sample.Harmonics[4].Should().BeApproximately(100 * 4 / (15 * Math.PI), 1e-9);
    }

    [Fact]
    public void A_motor_lags_and_its_reactive_power_is_positive()
    {
        var fridge = ApplianceCatalog.Create(ApplianceKind.Refrigerator, ParameterSet.Training, new Random(4));
        var running = fridge.RunningSpans(86_400).First(s => s.End - s.Start > 600);

        var sample = Read(CurrentOf(fridge, running.Start + 300));

        sample.ReactiveVar.Should().BePositive();
        sample.PowerFactor.Should().BeInRange(0.55, 0.85);
    }

    [Fact]
    public void Chargers_without_PFC_look_like_rectifiers_and_those_with_PFC_like_a_resistance_to_a_basic_meter()
    {
        for (var seed = 0; seed < 40; seed++)
        {
            foreach (var kind in ApplianceCatalog.EbikeChargers)
            {
                var charger = ApplianceCatalog.CreateCharger(kind, ParameterSet.Training, new Random(seed), 0.3);
                var sample = Read(CurrentOf(charger, 60));
                if (kind is ApplianceKind.EbikeLithium48VPfc or ApplianceKind.EbikeLithium60VPfc)
                {
                    sample.PowerFactor.Should().BeGreaterThan(0.95, $"{kind} seed {seed}");
                    sample.ThdIPct.Should().BeLessThan(15, $"{kind} seed {seed}");
                }
                else
                {
                    sample.PowerFactor.Should().BeInRange(0.5, 0.72, $"{kind} seed {seed}");
                    sample.Harmonics[3].Should().BeGreaterThan(60, $"{kind} seed {seed}");
                }
            }
        }
    }
}
