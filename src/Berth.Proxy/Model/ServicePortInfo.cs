using System.Net;
using System.Net.Sockets;

namespace Berth.Proxy.Model;

/// <summary>
/// What the proxy needs of one port of a Service: where to listen (ClusterIP:port, and the NodePort when set), over
/// which protocol (<see cref="ProtocolType.Tcp"/> or <see cref="ProtocolType.Udp"/>), the session affinity, and whether
/// traffic to the ClusterIP stays on this node (<c>internalTrafficPolicy: Local</c>), and the external addresses it is
/// also served on (<c>spec.externalIPs</c>, and <c>status.loadBalancer.ingress</c> of a LoadBalancer Service). Immutable.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/proxy/serviceport.go (BaseServicePortInfo).</remarks>
public sealed record ServicePortInfo(
    ServicePortName Name,
    IPAddress ClusterIP,
    int Port,
    int NodePort,
    bool ClientIPAffinity,
    TimeSpan StickyMaxAge,
    ProtocolType Protocol = ProtocolType.Tcp,
    bool InternalLocal = false,
    IReadOnlyList<IPAddress>? ExternalAddresses = null);
