using System.Net;
using System.Net.Sockets;
using Berth.Proxy.Affinity;
using Berth.Proxy.LoadBalancing;
using Berth.Proxy.Model;
using Microsoft.Extensions.Logging;

namespace Berth.Proxy.Forwarding;

/// <summary>
/// Opens the backend connection of a new client connection: the sticky endpoint when session affinity applies,
/// otherwise the policy's pick; when a dial fails before any byte was exchanged (refused, unreachable, timed out)
/// the next usable endpoint is tried, until each was tried once. Thread-safe and lock-free.
/// </summary>
/// <remarks>Mirrors the per-connection retry of the removed userspace kube-proxy (pkg/proxy/userspace/proxysocket.go tryConnect).</remarks>
public sealed partial class EndpointDialer(
    ILoadBalancingPolicy policy, SessionAffinityTable affinity, IForwarder forwarder, ProxyOptions options, ILogger logger)
{
    /// <summary>A connected backend socket and its endpoint, or (null, null) when every usable endpoint failed.</summary>
    public async Task<(Socket? Backend, ProxyEndpoint? Endpoint)> DialAsync(ServicePortState port, IPAddress? client,
        CancellationToken cancellationToken)
    {
        var usable = port.Usable;
        var sticky = port.Info.ClientIPAffinity && client is not null ? affinity.Lookup(port, client) : -1;
        var start = sticky >= 0 ? sticky : policy.Pick(port);
        for (var i = 0; i < usable.Length; i++)
        {
            var endpoint = usable[(start + i) % usable.Length];
            var backend = await TryConnectAsync(endpoint, port.Info.Name, cancellationToken).ConfigureAwait(false);
            if (backend is not null)
            {
                if (port.Info.ClientIPAffinity && client is not null)
                {
                    affinity.Record(port.Info.Name, client, endpoint.Address);
                }
                return (backend, endpoint);
            }
        }
        return (null, null);
    }

    private async Task<Socket?> TryConnectAsync(ProxyEndpoint endpoint, ServicePortName port, CancellationToken cancellationToken)
    {
        var socket = new Socket(endpoint.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        SocketError result;
        try
        {
            result = await forwarder.ConnectAsync(socket, endpoint.Address, options.DialTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        if (result == SocketError.Success)
        {
            return socket;
        }
        socket.Dispose();
        endpoint.Stats.DialFailed();
        Log.DialFailed(logger, port.ToString(), endpoint.Address.ToString(), result.ToString());
        return null;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4101, EventName = "EndpointDialFailed", Level = LogLevel.Debug,
            Message = "Dial to endpoint {Endpoint} of {ServicePort} failed, trying the next one: {Reason}")]
        public static partial void DialFailed(ILogger logger, string servicePort, string endpoint, string reason);
    }
}
