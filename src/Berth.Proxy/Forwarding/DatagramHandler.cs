using System.Net;
using Berth.Proxy.Affinity;
using Berth.Proxy.LoadBalancing;
using Berth.Proxy.Model;
using Microsoft.Extensions.Logging;

namespace Berth.Proxy.Forwarding;

/// <summary>
/// What every UDP listener of the proxy shares: the snapshot in force, the endpoint choice for a new client flow
/// (the sticky endpoint under <c>sessionAffinity: ClientIP</c>, else the load-balancing policy's pick, as for a new
/// TCP connection), the flow timeouts and the count of open flows. Thread-safe and lock-free.
/// </summary>
/// <remarks>
/// UDP has no connection: a flow is what conntrack would keep for kube-proxy's DNAT rules, keyed by the client's
/// address and port, and it is dropped when it idles out or its endpoint stops being usable, so that the client's
/// next datagram is balanced again (kube-proxy deletes the conntrack entries of such endpoints for the same reason:
/// pkg/proxy/conntrack/cleanup.go).
/// </remarks>
public sealed partial class DatagramHandler(
    Func<ProxySnapshot> snapshot, ILoadBalancingPolicy policy, SessionAffinityTable affinity, ProxyOptions options,
    TimeProvider time, ILogger logger)
{
    private long _open;

    /// <summary>The snapshot in force.</summary>
    public ProxySnapshot Snapshot => snapshot();

    public TimeProvider Time => time;

    public ProxyOptions Options => options;

    /// <summary>UDP client flows open now, over every listener.</summary>
    public long OpenFlows => Volatile.Read(ref _open);

    /// <summary>The endpoint a new flow of <paramref name="client"/> goes to; <paramref name="port"/> has a usable endpoint.</summary>
    public ProxyEndpoint Pick(ServicePortState port, IPAddress client)
    {
        var sticky = port.Info.ClientIPAffinity ? affinity.Lookup(port, client) : -1;
        var endpoint = port.Usable[sticky >= 0 ? sticky : policy.Pick(port)];
        if (port.Info.ClientIPAffinity)
        {
            affinity.Record(port.Info.Name, client, endpoint.Address);
        }
        return endpoint;
    }

    internal void FlowOpened(DatagramFlow flow)
    {
        Interlocked.Increment(ref _open);
        flow.Endpoint.Stats.ConnectionOpened();
        Log.FlowOpened(logger, flow.Port.ToString(), flow.Client.ToString(), flow.Endpoint.Address.ToString());
    }

    internal void FlowClosed(DatagramFlow flow, string reason)
    {
        Interlocked.Decrement(ref _open);
        flow.Endpoint.Stats.ConnectionClosed();
        Log.FlowClosed(logger, flow.Port.ToString(), flow.Client.ToString(), flow.Endpoint.Address.ToString(), reason);
    }

    internal void EndpointRefused(DatagramFlow flow)
    {
        flow.Endpoint.Stats.DialFailed();
        Log.EndpointRefused(logger, flow.Port.ToString(), flow.Endpoint.Address.ToString());
    }

    internal void FlowTableFull(ServicePortName port) => Log.FlowTableFull(logger, port.ToString(), options.UdpMaxFlows);

    private static partial class Log
    {
        [LoggerMessage(EventId = 4134, EventName = "UdpFlowTableFull", Level = LogLevel.Debug,
            Message = "UDP datagram for {ServicePort} dropped: {MaxFlows} client flows are open (ProxyOptions.UdpMaxFlows)")]
        public static partial void FlowTableFull(ILogger logger, string servicePort, int maxFlows);

        [LoggerMessage(EventId = 4131, EventName = "UdpFlowOpened", Level = LogLevel.Debug,
            Message = "UDP flow of {ServicePort} from {Client} goes to {Endpoint}")]
        public static partial void FlowOpened(ILogger logger, string servicePort, string client, string endpoint);

        [LoggerMessage(EventId = 4132, EventName = "UdpFlowClosed", Level = LogLevel.Debug,
            Message = "UDP flow of {ServicePort} from {Client} to {Endpoint} ended: {Reason}")]
        public static partial void FlowClosed(ILogger logger, string servicePort, string client, string endpoint, string reason);

        [LoggerMessage(EventId = 4133, EventName = "UdpEndpointRefused", Level = LogLevel.Debug,
            Message = "UDP endpoint {Endpoint} of {ServicePort} refused a datagram (ICMP port unreachable); the client's next datagram is balanced again")]
        public static partial void EndpointRefused(ILogger logger, string servicePort, string endpoint);
    }
}
