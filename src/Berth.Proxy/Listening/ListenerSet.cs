using System.Net;
using System.Net.Sockets;
using Berth.Proxy.Forwarding;
using Berth.Proxy.Model;
using Microsoft.Extensions.Logging;

namespace Berth.Proxy.Listening;

/// <summary>
/// Keeps the open listeners equal to what a snapshot asks for: for each service port with usable endpoints, its
/// ClusterIP:port and, when it has one and NodePorts are enabled, NodePortAddress:nodePort, over the port's protocol
/// (a TCP <see cref="PortListener"/> or a UDP <see cref="DatagramListener"/>). A bind that fails (the address is
/// taken) is logged and retried on every later reconcile. Used by the sync loop only: not thread-safe.
/// </summary>
/// <remarks>The listener half of kube-proxy's syncProxyRules (pkg/proxy/iptables/proxier.go), with sockets instead of rules.</remarks>
public sealed partial class ListenerSet(ConnectionHandler handler, DatagramHandler datagrams, ProxyOptions options, ILogger logger)
    : IAsyncDisposable
{
    private readonly Dictionary<ListenAddress, IServiceListener> _open = [];
    private readonly Dictionary<ListenAddress, ServicePortName> _failed = [];

    /// <summary>The addresses listening now (TCP and UDP).</summary>
    public IReadOnlyCollection<ListenAddress> OpenAddresses => _open.Keys;

    /// <summary>The addresses that should listen but could not bind.</summary>
    public IReadOnlyCollection<ListenAddress> FailedAddresses => _failed.Keys;

    /// <summary>Whether this proxy holds a listener on <paramref name="address"/> (another process may hold it instead).</summary>
    public bool IsOpen(ListenAddress address) => _open.ContainsKey(address);

    /// <summary>
    /// Brings the listeners of <paramref name="changed"/> service ports (and every failed bind) in line with
    /// <paramref name="snapshot"/>; returns the service ports that got a listener they did not have.
    /// </summary>
    public async Task<List<ServicePortName>> ReconcileAsync(ProxySnapshot snapshot, IReadOnlyCollection<ServicePortName> changed)
    {
        var opened = new List<ServicePortName>();
        var desired = new Dictionary<ListenAddress, ServicePortName>();
        foreach (var name in changed.Concat(_failed.Values).Distinct())
        {
            if (snapshot.Find(name) is { } state)
            {
                foreach (var address in AddressesOf(state))
                {
                    desired[address] = name;
                }
            }
        }
        var changedSet = changed.ToHashSet();
        foreach (var (address, listener) in _open.ToList())
        {
            if (changedSet.Contains(listener.Owner) && (!desired.TryGetValue(address, out var owner) || owner != listener.Owner))
            {
                _open.Remove(address);
                await listener.DisposeAsync().ConfigureAwait(false);
                Log.Closed(logger, listener.Owner.ToString(), address.ToString());
            }
        }
        foreach (var (address, name) in _failed.ToList())
        {
            if (!desired.ContainsKey(address))
            {
                _failed.Remove(address);
            }
        }
        foreach (var (address, name) in desired)
        {
            if (!_open.ContainsKey(address) && TryOpen(address, name))
            {
                opened.Add(name);
            }
        }
        return opened;
    }

    private bool TryOpen(ListenAddress address, ServicePortName name)
    {
        try
        {
            _open[address] = address.Protocol == ProtocolType.Udp
                ? DatagramListener.Open(address.Address, name, datagrams, address.External)
                : PortListener.Open(address.Address, name, handler, options.ListenBacklog, address.External);
            _failed.Remove(address);
            Log.Opened(logger, name.ToString(), address.ToString());
            return true;
        }
        catch (SocketException ex)
        {
            if (_failed.TryAdd(address, name))
            {
                Log.BindFailed(logger, name.ToString(), address.ToString(), ex.Message);
            }
            return false;
        }
    }

    /// <summary>
    /// The ClusterIP:port while it has usable endpoints; the NodePort and each external address:port (externalIPs, load
    /// balancer) while its external endpoints do.
    /// </summary>
    private IEnumerable<ListenAddress> AddressesOf(ServicePortState state)
    {
        var info = state.Info;
        if (!state.Usable.IsEmpty)
        {
            yield return new ListenAddress(new IPEndPoint(info.ClusterIP, info.Port), info.Protocol);
        }
        if (state.External.Usable.IsEmpty)
        {
            yield break;
        }
        if (info.NodePort > 0 && options.NodePortAddress is { } nodeAddress)
        {
            yield return new ListenAddress(new IPEndPoint(nodeAddress, info.NodePort), info.Protocol, External: true);
        }
        foreach (var ip in info.ExternalAddresses ?? [])
        {
            yield return new ListenAddress(new IPEndPoint(ip, info.Port), info.Protocol, External: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var listener in _open.Values)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }
        _open.Clear();
        _failed.Clear();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4111, EventName = "ListenerOpened", Level = LogLevel.Debug,
            Message = "Listening for {ServicePort} on {Address}")]
        public static partial void Opened(ILogger logger, string servicePort, string address);

        [LoggerMessage(EventId = 4112, EventName = "ListenerClosed", Level = LogLevel.Debug,
            Message = "Stopped listening for {ServicePort} on {Address}")]
        public static partial void Closed(ILogger logger, string servicePort, string address);

        [LoggerMessage(EventId = 4113, EventName = "ListenerBindFailed", Level = LogLevel.Warning,
            Message = "Cannot listen for {ServicePort} on {Address} (retried on every sync): {Reason}")]
        public static partial void BindFailed(ILogger logger, string servicePort, string address, string reason);
    }
}
