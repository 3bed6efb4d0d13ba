using EdgeSafety.Alerts;

namespace EdgeSafety.Dashboard.Live;

/// <summary>The registry as last loaded from the shared store (refreshed by <see cref="AlertChangeFeed"/> when it changes).</summary>
public sealed class CurrentRegistry
{
    private Registry _value = new(new RegistryDocument());

    public Registry Value
    {
        get => Volatile.Read(ref _value);
        set => Volatile.Write(ref _value, value);
    }
}
