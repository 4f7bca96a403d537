using Berth.Machinery.Kinds;

namespace Berth.Registry.Generic;

/// <summary>
/// Maps every served kind to its strategy. Kinds without a specific strategy get <see cref="ResourceStrategy"/>.
/// Per-kind strategies are registered in <see cref="CreateDefault"/>.
/// </summary>
public sealed class StrategyCatalog
{
    private readonly Dictionary<ResourceKind, IResourceStrategy> _strategies;

    public StrategyCatalog(IEnumerable<IResourceStrategy> strategies)
    {
        _strategies = strategies.ToDictionary(s => s.Kind);
    }

    public IResourceStrategy For(ResourceKind kind) =>
        _strategies.TryGetValue(kind, out var s) ? s : new ResourceStrategy(kind);

    /// <summary>The catalog the server runs with. Add a kind's strategy here when it gets one.</summary>
    public static StrategyCatalog CreateDefault() => new(KnownStrategies.All());
}
