using System.Collections.Immutable;

namespace Berth.Proxy.Model;

/// <summary>
/// One service port in a <see cref="ProxySnapshot"/>: where it listens and the endpoints new connections to its
/// ClusterIP may go to (<see cref="External"/> for its NodePort).
/// Immutable apart from <see cref="Cursor"/>, the round-robin position, which the connection path advances with
/// <see cref="Interlocked.Increment(ref int)"/>.
/// </summary>
/// <remarks>The analogue of YARP's ClusterDestinationsState (AllDestinations / AvailableDestinations).</remarks>
public sealed class ServicePortState(
    ServicePortInfo info, ImmutableArray<EndpointInfo> all, ImmutableArray<ProxyEndpoint> usable, bool usingTerminating,
    ServicePortState? external = null)
{
    private int _cursor = -1;

    public ServicePortInfo Info { get; } = info;

    /// <summary>Every endpoint the EndpointSlices list for this port, whatever its conditions.</summary>
    public ImmutableArray<EndpointInfo> All { get; } = all;

    /// <summary>Where new connections may go: the ready endpoints, or the serving+terminating ones when none is ready.</summary>
    public ImmutableArray<ProxyEndpoint> Usable { get; } = usable;

    /// <summary>True when <see cref="Usable"/> holds the serving+terminating fallback (no endpoint is ready).</summary>
    public bool UsingTerminatingFallback { get; } = usingTerminating;

    /// <summary>
    /// The state NodePort and load-balancer traffic uses: itself, except under <c>internalTrafficPolicy: Local</c>,
    /// where <see cref="Usable"/> holds this node's endpoints (ClusterIP traffic) and that traffic still goes to every
    /// node's (every client of a one-machine cluster is local to it, so upstream's short-circuit of node-local traffic
    /// applies to all of them).
    /// </summary>
    public ServicePortState External => external ?? this;

    /// <summary>Advances the round-robin position and returns it (any int; callers take it modulo the count).</summary>
    internal int NextCursor() => Interlocked.Increment(ref _cursor);
}
