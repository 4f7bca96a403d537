using System.Net;
using System.Net.Sockets;

namespace Berth.Proxy.Listening;

/// <summary>
/// Where one listener of a service port binds: the address and the protocol (TCP and UDP may share a port), and
/// whether it is the NodePort (<paramref name="External"/>: its clients use <see cref="Model.ServicePortState.External"/>).
/// </summary>
public readonly record struct ListenAddress(IPEndPoint Address, ProtocolType Protocol, bool External = false)
{
    public override string ToString() => Protocol == ProtocolType.Udp ? $"{Address}/UDP" : Address.ToString();
}
