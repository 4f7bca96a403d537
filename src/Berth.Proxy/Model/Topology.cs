using System.Collections.Immutable;

namespace Berth.Proxy.Model;

/// <summary>
/// Chooses the endpoints new connections may use (cluster traffic policy): the ready ones; when none is ready, the
/// serving and terminating ones (KEP-1669); endpoints that are not serving are never used. Pure and thread-safe.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/proxy/topology.go (CategorizeEndpoints), without topology hints.</remarks>
public static class Topology
{
    public static (ImmutableArray<EndpointInfo> Usable, bool UsingTerminating) CategorizeEndpoints(ImmutableArray<EndpointInfo> endpoints)
    {
        var ready = endpoints.Where(e => e.Ready).ToImmutableArray();
        if (!ready.IsEmpty)
        {
            return (ready, false);
        }
        var fallback = endpoints.Where(e => e.Serving && e.Terminating).ToImmutableArray();
        return (fallback, !fallback.IsEmpty);
    }
}
