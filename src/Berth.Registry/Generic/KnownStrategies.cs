using Berth.Registry.Apps.Deployments;
using Berth.Registry.Core.Namespaces;
using Berth.Registry.Core.Pods;
using Berth.Registry.Core.Services;

namespace Berth.Registry.Generic;

/// <summary>The per-kind strategies. Each kind folder (Core/Pods, Apps/Deployments…) adds its strategy to this list.</summary>
public static class KnownStrategies
{
    public static IEnumerable<IResourceStrategy> All() =>
    [
        new PodStrategy(),
        new NamespaceStrategy(),
        new ServiceStrategy(),
        new DeploymentStrategy(),
    ];
}
