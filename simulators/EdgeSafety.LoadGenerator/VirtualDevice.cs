using System.Buffers;
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

    private const int FirstHarmonic = 2, LastHarmonic = 31;

    /// <summary>A synthetic meter's value names in payload order: the electrical values, the harmonics 2 to 31, THD.</summary>
    private static readonly string[] MeterNames =
    [
        "voltage_v", "current_a", "power_w", "apparent_va", "reactive_var", "power_factor", "frequency_hz", "energy_kwh",
        .. Enumerable.Range(FirstHarmonic, LastHarmonic - FirstHarmonic + 1).Select(order => $"h{order}_pct"), "thd_i_pct",
    ];

    private static readonly string[] NoiseNames = ["db_a"];

    private readonly Random _random;
    private long _lastTimestampMs;
    private double _energyKwh;
    private int _chargingLeft;
    private int _eventLeft;
    private bool _fridgeOn;
    private int _fridgeLeft;
    private LiveHousehold? _household;

    /// <summary>The current reading's values, in the order of <see cref="ValueNames"/> (reused: one device publishes at a time).</summary>
    private readonly double[] _values;
    private readonly PayloadTemplate _template;

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
        _values = new double[ValueNames.Length];
        _template = new PayloadTemplate(id, kind, Profile, unit, ValueNames);
    }

    public string Site { get; }

    public string Gateway { get; }

    public string Id { get; }

    public DeviceKind Kind { get; }

    public string? Unit { get; }

    public string Topic { get; }

    private string Profile => Kind == DeviceKind.Noise ? "noise-sensor-hr0" : "harmonic-meter";

    private string[] ValueNames => Kind == DeviceKind.Noise ? NoiseNames : MeterNames;

    /// <summary>The sequence number the next reading gets.</summary>
    public long NextSequence { get; private set; }

    /// <summary>The last reading's timestamp.</summary>
    public DateTimeOffset LastTimestamp => DateTimeOffset.FromUnixTimeMilliseconds(_lastTimestampMs);

    /// <summary>Device time between two readings (<see cref="LoadOptions.ReadingInterval"/>); null: the wall clock.</summary>
    public TimeSpan? ReadingInterval { get; init; }

    /// <summary>An incident all through the run (<see cref="LoadOptions.IncidentEvery"/>).</summary>
    public bool Incident { get; init; }

    public Reading Next(DateTimeOffset now)
    {
        var timestamp = Advance(now, out var elapsed);
        Dictionary<string, double> values;
        if (Kind == DeviceKind.Meter && Incident)
        {
            values = HouseholdValues(timestamp, elapsed);
        }
        else
        {
            ComputeValues();
            var names = ValueNames;
            values = new Dictionary<string, double>(names.Length);
            for (var i = 0; i < names.Length; i++)
            {
                values[names[i]] = _values[i];
            }
        }

        return new Reading(Id, Kind, Profile, Unit, NextSequence++, timestamp, values);
    }

    /// <summary>
    /// Writes the payload of the next reading: the same bytes as <see cref="ReadingCodec.Serialize"/> of what
    /// <see cref="Next"/> would have returned, without building the reading (an incident meter's household still does).
    /// </summary>
    public void WriteNext(DateTimeOffset now, IBufferWriter<byte> payload)
    {
        if (Kind == DeviceKind.Meter && Incident)
        {
            payload.Write(ReadingCodec.Serialize(Next(now)));
            return;
        }

        var timestamp = Advance(now, out _);
        ComputeValues();
        _template.Write(payload, NextSequence++, timestamp, _values);
    }

    /// <summary>The next reading's time: the wall clock (at least a millisecond after the last) or the reading interval on.</summary>
    private DateTimeOffset Advance(DateTimeOffset now, out TimeSpan elapsed)
    {
        var timestampMs = ReadingInterval is { } interval && _lastTimestampMs > 0
            ? _lastTimestampMs + (long)interval.TotalMilliseconds
            : Math.Max(now.ToUnixTimeMilliseconds(), _lastTimestampMs + 1);
        elapsed = TimeSpan.FromMilliseconds(_lastTimestampMs > 0 ? timestampMs - _lastTimestampMs : 0);
        _lastTimestampMs = timestampMs;
        return DateTimeOffset.FromUnixTimeMilliseconds(timestampMs);
    }

    private void ComputeValues()
    {
        if (Kind == DeviceKind.Noise)
        {
            _values[0] = NoiseLevel();
        }
        else
        {
            MeterValues(_values);
        }
    }

    private double NoiseLevel()
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
        return Math.Round(level, 1);
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

    /// <summary>A synthetic meter's values, in the order of <see cref="MeterNames"/>.</summary>
    private void MeterValues(Span<double> values)
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
        values[0] = Math.Round(voltage, 1);
        values[1] = Math.Round(current, 3);
        values[2] = Math.Round(power, 1);
        values[3] = Math.Round(apparent, 1);
        values[4] = Math.Round(Math.Sqrt(Math.Max(0, (apparent * apparent) - (power * power))), 1);
        values[5] = Math.Round(powerFactor, 3);
        values[6] = Math.Round(50 + ((_random.NextDouble() - 0.5) * 0.1), 2);
        values[7] = Math.Round(_energyKwh, 3);
        double sumOfSquares = 0;
        for (var order = FirstHarmonic; order <= LastHarmonic; order++)
        {
            var odd = order % 2 == 1;
            var magnitude = odd ? (share * 70 / order) + (3.0 / order) : 0.3 / order;
            magnitude *= 0.9 + (_random.NextDouble() * 0.2);
            sumOfSquares += magnitude * magnitude;
            values[8 + order - FirstHarmonic] = Math.Round(magnitude, 2);
        }

        values[^1] = Math.Round(Math.Sqrt(sumOfSquares), 2);
    }
}
