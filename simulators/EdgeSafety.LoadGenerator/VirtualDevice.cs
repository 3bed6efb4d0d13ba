using EdgeSafety.Appliances;
using EdgeSafety.Contracts;

namespace EdgeSafety.LoadGenerator;

/// <summary>
/// One simulated device's stream of readings: a household circuit seen through the harmonic meter profile (a fridge
/// cycling, now and then a kettle, and e-bike charging sessions with their rectifier's odd harmonics), or a street's
/// noise level with occasional loud events; an incident device (<see cref="Incident"/>) charges an e-bike or is loud all
/// through the run, in a form the analysers recognise. Sequence numbers start at 0 and go up by one per reading; timestamps only
/// go up, at least a millisecond apart (or the reading interval, when one is set), so every reading is its own point
/// in InfluxDB.
/// </summary>
public sealed class VirtualDevice
{
    private const double Mains = 230;

    /// <summary>An incident meter's charger is plugged in at this reading: the detector first learns the room's level.</summary>
    private const int IncidentStartsAt = 6;

    /// <summary>The harmonics' value names by order (2 to 31), made once rather than for every reading.</summary>
    private static readonly string[] HarmonicNames = [.. Enumerable.Range(0, 32).Select(order => $"h{order}_pct")];

    private readonly Random _random;
    private long _lastTimestampMs;
    private double _energyKwh;
    private int _chargingLeft;
    private int _eventLeft;
    private bool _fridgeOn;
    private int _fridgeLeft;
    private LiveHousehold? _household;

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

    /// <summary>Device time between two readings (<see cref="LoadOptions.ReadingInterval"/>); null: the wall clock.</summary>
    public TimeSpan? ReadingInterval { get; init; }

    /// <summary>An incident all through the run (<see cref="LoadOptions.IncidentEvery"/>).</summary>
    public bool Incident { get; init; }

    public Reading Next(DateTimeOffset now)
    {
        var timestampMs = ReadingInterval is { } interval && _lastTimestampMs > 0
            ? _lastTimestampMs + (long)interval.TotalMilliseconds
            : Math.Max(now.ToUnixTimeMilliseconds(), _lastTimestampMs + 1);
        var elapsed = TimeSpan.FromMilliseconds(_lastTimestampMs > 0 ? timestampMs - _lastTimestampMs : 0);
        _lastTimestampMs = timestampMs;
        var timestamp = DateTimeOffset.FromUnixTimeMilliseconds(timestampMs);
        var values = Kind == DeviceKind.Noise ? NoiseValues()
            : Incident ? HouseholdValues(timestamp, elapsed)
            : MeterValues();
        return new Reading(Id, Kind, Kind == DeviceKind.Noise ? "noise-sensor-hr0" : "harmonic-meter", Unit, NextSequence++, timestamp, values);
    }

    private Dictionary<string, double> NoiseValues()
    {
        if (Incident && NextSequence == 0)
        {
            _eventLeft = int.MaxValue;
        }
        else if (_eventLeft == 0 && _random.NextDouble() < 0.002)
        {
            _eventLeft = _random.Next(5, 60);
        }

        var level = _eventLeft > 0 ? 78 + (_random.NextDouble() * 12) : 48 + (_random.NextDouble() * 10);
        _eventLeft = Math.Max(0, _eventLeft - 1);
        return new Dictionary<string, double> { ["db_a"] = Math.Round(level, 1) };
    }

    /// <summary>
    /// An incident meter's household from the appliance models the classifier was trained on (a router and lights,
    /// then an e-bike charger from <see cref="IncidentStartsAt"/>): the cheap synthetic meter below carries the load's
    /// shape, but its charger is no fingerprint the classifier knows.
    /// </summary>
    private Dictionary<string, double> HouseholdValues(DateTimeOffset timestamp, TimeSpan elapsed)
    {
        if (_household is null)
        {
            _household = new LiveHousehold(_random.Next(), timestamp, new LiveHouseholdOptions { Schedule = false });
            _household.PlugIn(ApplianceKind.Router);
            _household.PlugIn(ApplianceKind.LedLighting);
        }

        if (NextSequence == IncidentStartsAt)
        {
            _household.PlugIn(ApplianceKind.EbikeLithium60V, stateOfCharge: 0.3);
        }

        var sample = _household.Advance(elapsed);
        _energyKwh += sample.PowerW * elapsed.TotalHours / 1000;
        var values = new Dictionary<string, double>(40) { ["energy_kwh"] = Math.Round(_energyKwh, 3) };
        sample.WriteValues(values, decimals: 3);
        return values;
    }

    private Dictionary<string, double> MeterValues()
    {
        if (_chargingLeft == 0 && _random.NextDouble() < 0.001)
        {
            _chargingLeft = _random.Next(200, 2000);
        }

        var charging = _chargingLeft > 0;
        _chargingLeft = Math.Max(0, _chargingLeft - 1);
        // The fridge's compressor runs for a while and rests for longer, as one does, rather than flickering per reading.
        if (--_fridgeLeft <= 0)
        {
            _fridgeOn = !_fridgeOn;
            _fridgeLeft = _fridgeOn ? _random.Next(30, 90) : _random.Next(60, 180);
        }

        var voltage = Mains + ((_random.NextDouble() - 0.5) * 6);
        var fridge = _fridgeOn ? 0.55 : 0.05;
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
