using System.Collections.Immutable;

namespace Berth.Proxy.Model;

/// <summary>
/// The proxy's whole routing table at one instant. Immutable: the sync loop builds a new one and publishes it with
/// <see cref="Volatile.Write{T}(ref T, T)"/>; the connection path reads the current one with <see cref="Volatile.Read{T}(ref readonly T)"/>
/// and never locks. <see cref="Generation"/> grows by one per published snapshot.
/// </summary>
/// <remarks>The model rule of YARP's src/ReverseProxy/Model/README.md, applied to kube-proxy's ServicePortMap + EndpointsMap.</remarks>
public sealed class ProxySnapshot(ImmutableDictionary<ServicePortName, ServicePortState> ports, long generation)
{
    public static ProxySnapshot Empty { get; } = new(ImmutableDictionary<ServicePortName, ServicePortState>.Empty, 0);

    public ImmutableDictionary<ServicePortName, ServicePortState> Ports { get; } = ports;

    public long Generation { get; } = generation;

    /// <summary>The state of <paramref name="name"/>, or null when the service port is not proxied.</summary>
    public ServicePortState? Find(ServicePortName name) => Ports.GetValueOrDefault(name);
}
