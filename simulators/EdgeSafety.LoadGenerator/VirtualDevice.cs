using EdgeSafety.Contracts;

namespace EdgeSafety.LoadGenerator;

/// <summary>
/// One simulated device's stream of readings: a household circuit seen through the harmonic meter profile (a fridge
/// cycling, now and then a kettle, and e-bike charging sessions with their rectifier's odd harmonics), or a street's
/// noise level with occasional loud events. Sequence numbers start at 0 and go up by one per reading; timestamps only
/// go up, at least a millisecond apart, so every reading is its own point in InfluxDB.
/// </summary>
public sealed class VirtualDevice
{
    private const double Mains = 230;

    /// <summary>The harmonics' value names by order (2 to 31), made once rather than for every reading.</summary>
    private static readonly string[] HarmonicNames = [.. Enumerable.Range(0, 32).Select(order => $"h{order}_pct")];
    private readonly Random _random;
    private long _lastTimestampMs;
    private double _energyKwh;
    private int _chargingLeft;
    private int _eventLeft;

    public VirtualDevice(string site, string gateway, string id, DeviceKind kind, string? unit, bool partitioned, int seed)
    {
        Site = site;
        Gateway = gateway;
        Id = id;
        Kind = kind;
        Unit = unit;
        Topic = partitioned ? Topics.PartitionedReadings(site, gateway, id) : Topics.Readings(site, gateway, id);
        _random = new Random(seed);
        _energyKwh = _random.Next(100, 5000);
    }

    public string Site { get; }

    public string Gateway { get; }

    public string Id { get; }

    public DeviceKind Kind { get; }

    public string? Unit { get; }

    public string Topic { get; }

    /// <summary>The sequence number the next reading gets.</summary>
    public long NextSequence { get; private set; }

    public Reading Next(DateTimeOffset now)
    {
        var timestampMs = Math.Max(now.ToUnixTimeMilliseconds(), _lastTimestampMs + 1);
        _lastTimestampMs = timestampMs;
        var timestamp = DateTimeOffset.FromUnixTimeMilliseconds(timestampMs);
        var values = Kind == DeviceKind.Noise ? NoiseValues() : MeterValues();
        return new Reading(Id, Kind, Kind == DeviceKind.Noise ? "noise-sensor-hr0" : "harmonic-meter", Unit, NextSequence++, timestamp, values);
    }

    private Dictionary<string, double> NoiseValues()
    {
        if (_eventLeft == 0 && _random.NextDouble() < 0.002)
        {
            _eventLeft = _random.Next(5, 60);
        }

        var level = _eventLeft > 0 ? 78 + (_random.NextDouble() * 12) : 48 + (_random.NextDouble() * 10);
        _eventLeft = Math.Max(0, _eventLeft - 1);
        return new Dictionary<string, double> { ["db_a"] = Math.Round(level, 1) };
    }

    private Dictionary<string, double> MeterValues()
    {
        if (_chargingLeft == 0 && _random.NextDouble() < 0.001)
        {
            _chargingLeft = _random.Next(200, 2000);
        }

        var charging = _chargingLeft > 0;
        _chargingLeft = Math.Max(0, _chargingLeft - 1);
        var voltage = Mains + ((_random.NextDouble() - 0.5) * 6);
        var fridge = _random.NextDouble() < 0.4 ? 0.55 : 0.05;
        var kettle = _random.NextDouble() < 0.01 ? 8.7 : 0;
        var bike = charging ? 0.9 + (_random.NextDouble() * 0.3) : 0;
        var current = fridge + kettle + bike + (_random.NextDouble() * 0.05);
        // A charger's rectifier draws a peaky current: strong odd harmonics and a lower power factor.
        var share = bike / current;
        var powerFactor = (0.98 * (1 - share)) + (0.62 * share);
        var apparent = voltage * current;
        var power = apparent * powerFactor;
        _energyKwh += power / 3_600_000;
        var values = new Dictionary<string, double>(40)
        {
            ["voltage_v"] = Math.Round(voltage, 1),
            ["current_a"] = Math.Round(current, 3),
            ["power_w"] = Math.Round(power, 1),
            ["apparent_va"] = Math.Round(apparent, 1),
            ["reactive_var"] = Math.Round(Math.Sqrt(Math.Max(0, (apparent * apparent) - (power * power))), 1),
            ["power_factor"] = Math.Round(powerFactor, 3),
            ["frequency_hz"] = Math.Round(50 + ((_random.NextDouble() - 0.5) * 0.1), 2),
            ["energy_kwh"] = Math.Round(_energyKwh, 3),
        };
        double sumOfSquares = 0;
        for (var order = 2; order <= 31; order++)
        {
            var odd = order % 2 == 1;
            var magnitude = odd ? (share * 70 / order) + (3.0 / order) : 0.3 / order;
            magnitude *= 0.9 + (_random.NextDouble() * 0.2);
            sumOfSquares += magnitude * magnitude;
            values[HarmonicNames[order]] = Math.Round(magnitude, 2);
        }

        values["thd_i_pct"] = Math.Round(Math.Sqrt(sumOfSquares), 2);
        return values;
    }
}
