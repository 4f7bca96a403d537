using System.Net;

namespace Berth.Proxy.Model;

/// <summary>
/// What the proxy needs of one TCP port of a Service: where to listen (ClusterIP:port, and the NodePort when set)
/// and the session affinity. Immutable.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/proxy/serviceport.go (BaseServicePortInfo).</remarks>
public sealed record ServicePortInfo(
    ServicePortName Name,
    IPAddress ClusterIP,
    int Port,
    int NodePort,
    bool ClientIPAffinity,
    TimeSpan StickyMaxAge);
