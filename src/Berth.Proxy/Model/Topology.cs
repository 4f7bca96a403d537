using System.Collections.Immutable;

namespace Berth.Proxy.Model;

/// <summary>
/// Chooses the endpoints new connections may use: under the cluster traffic policy the ready ones, and when none is
/// ready the serving and terminating ones (KEP-1669); under the local policy (<c>internalTrafficPolicy: Local</c>) the
/// same among the endpoints on this node only, with no fallback to other nodes. Endpoints that are not serving are
/// never used. Pure and thread-safe.
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

    /// <summary>
    /// The local policy: the ready endpoints whose <see cref="EndpointInfo.NodeName"/> is <paramref name="nodeName"/>,
    /// else its serving and terminating ones, else none (the traffic has nowhere to go, even when other nodes have
    /// endpoints). A null <paramref name="nodeName"/> has no local endpoints.
    /// </summary>
    public static (ImmutableArray<EndpointInfo> Usable, bool UsingTerminating) CategorizeLocalEndpoints(
        ImmutableArray<EndpointInfo> endpoints, string? nodeName) =>
        nodeName is null
            ? ([], false)
            : CategorizeEndpoints([.. endpoints.Where(e => string.Equals(e.NodeName, nodeName, StringComparison.Ordinal))]);
}
