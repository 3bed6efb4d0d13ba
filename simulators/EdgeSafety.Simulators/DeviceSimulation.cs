using EdgeSafety.Appliances;
using EdgeSafety.Devices;
using EdgeSafety.Modbus;
using EdgeSafety.Simulators.Models;

namespace EdgeSafety.Simulators;

/// <summary>
/// One simulated device: its model's values, any values pinned through the control API, and the register
/// image the Modbus server answers from, encoded through the device's profile exactly as a real device would hold them.
/// </summary>
public sealed class DeviceSimulation : IDisposable
{
    private readonly IValueModel _model;
    private readonly Dictionary<string, double> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _pinned = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public DeviceSimulation(SimulatedDevice settings, DeviceProfile profile, IValueModel model)
    {
        Settings = settings;
        Profile = profile;
        _model = model;
        Registers = new RegisterBank(
            RegisterCountOf(profile, RegisterTable.Holding),
            RegisterCountOf(profile, RegisterTable.Input));
    }

    public SimulatedDevice Settings { get; }

    /// <summary>The household this device measures, for a household meter; null for other devices.</summary>
    public LiveHousehold? Household => (_model as HouseholdMeterModel)?.Household;

    public DeviceProfile Profile { get; }

    /// <summary>What drives the values; the control API reaches a model's own controls (a noise scenario) through it.</summary>
    public IValueModel Model => _model;

    public RegisterBank Registers { get; }

    /// <summary>
    /// Moves the model on and writes every value the profile has into the registers. A model may know more than a
    /// device measures (a household meter's harmonics, for a basic meter's profile): those are not served.
    /// </summary>
    public void Step(TimeSpan elapsed)
    {
        lock (_lock)
        {
            _model.Step(elapsed, _values);
            foreach (var (name, value) in _pinned)
            {
                _values[name] = value;
            }

            Span<ushort> registers = stackalloc ushort[2];
            foreach (var value in Profile.Values)
            {
                if (_values.TryGetValue(value.Name, out var engineering))
                {
                    RegisterCodec.Encode(value, engineering, registers);
                    Registers.Write(value.Table, value.Address, registers[..value.RegisterCount]);
                }
            }
        }
    }

    /// <summary>Holds values fixed until released; unknown names are refused with the names this profile has.</summary>
    public void Pin(IReadOnlyDictionary<string, double> values)
    {
        var unknown = values.Keys.Where(name => Profile.Values.All(v => v.Name != name)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException(
                $"Profile '{Profile.Model}' has no value named {string.Join(", ", unknown)}; it has {string.Join(", ", Profile.Values.Select(v => v.Name))}.");
        }

        lock (_lock)
        {
            foreach (var (name, value) in values)
            {
                _pinned[name] = value;
            }
        }

        Step(TimeSpan.Zero);
    }

    public void ReleasePins()
    {
        lock (_lock)
        {
            _pinned.Clear();
        }
    }

    /// <summary>The values the device serves: its model's values that its profile has a register for.</summary>
    public IReadOnlyDictionary<string, double> Snapshot()
    {
        lock (_lock)
        {
            return Profile.Values.Where(v => _values.ContainsKey(v.Name))
                .ToDictionary(v => v.Name, v => _values[v.Name], StringComparer.Ordinal);
        }
    }

    public void Dispose() => Registers.Dispose();

    private static int RegisterCountOf(DeviceProfile profile, RegisterTable table) =>
        profile.Values.Where(v => v.Table == table).Select(v => v.Address + v.RegisterCount).DefaultIfEmpty(0).Max();
}
