using System.Net;
using System.Net.Sockets;

namespace Berth.Proxy.Listening;

/// <summary>Where one listener of a service port binds: the address and the protocol (TCP and UDP may share a port).</summary>
public readonly record struct ListenAddress(IPEndPoint Address, ProtocolType Protocol)
{
    public override string ToString() => Protocol == ProtocolType.Udp ? $"{Address}/UDP" : Address.ToString();
}
