using Berth.Registry.Core.Pods;

namespace Berth.Registry.Generic;

/// <summary>The per-kind strategies. Each kind folder (Core/Pods, Apps/Deployments…) adds its strategy to this list.</summary>
public static class KnownStrategies
{
    public static IEnumerable<IResourceStrategy> All() =>
    [
        new PodStrategy(),
    ];
}
