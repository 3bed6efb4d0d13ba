using EdgeSafety.Alerts;

namespace EdgeSafety.Dashboard.Live;

/// <summary>
/// The registry as last loaded from the shared store: the alert engine's, reloaded by <see cref="AlertChangeFeed"/>
/// when the store's version moves and by every endpoint that changes it, never going back to an older load.
/// </summary>
public sealed class CurrentRegistry(AlertEngine engine)
{
    private static readonly Registry Empty = new(new RegistryDocument());

    public Registry Value => engine.LoadedRegistry ?? Empty;
}
