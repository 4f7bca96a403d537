using System.Net;
using System.Net.Sockets;
using Berth.Proxy.Forwarding;
using Berth.Proxy.Model;
using Microsoft.Extensions.Logging;

namespace Berth.Proxy.Listening;

/// <summary>
/// Keeps the open listeners equal to what a snapshot asks for: for each service port with usable endpoints, its
/// ClusterIP:port and, when it has one and NodePorts are enabled, NodePortAddress:nodePort. A bind that fails (the
/// address is taken) is logged and retried on every later reconcile. Used by the sync loop only: not thread-safe.
/// </summary>
/// <remarks>The listener half of kube-proxy's syncProxyRules (pkg/proxy/iptables/proxier.go), with sockets instead of rules.</remarks>
public sealed partial class ListenerSet(ConnectionHandler handler, ProxyOptions options, ILogger logger) : IAsyncDisposable
{
    private readonly Dictionary<IPEndPoint, PortListener> _open = [];
    private readonly Dictionary<IPEndPoint, ServicePortName> _failed = [];

    /// <summary>The addresses listening now.</summary>
    public IReadOnlyCollection<IPEndPoint> OpenAddresses => _open.Keys;

    /// <summary>The addresses that should listen but could not bind.</summary>
    public IReadOnlyCollection<IPEndPoint> FailedAddresses => _failed.Keys;

    /// <summary>Brings the listeners of <paramref name="changed"/> service ports (and every failed bind) in line with <paramref name="snapshot"/>.</summary>
    public async Task ReconcileAsync(ProxySnapshot snapshot, IReadOnlyCollection<ServicePortName> changed)
    {
        var desired = new Dictionary<IPEndPoint, ServicePortName>();
        foreach (var name in changed.Concat(_failed.Values).Distinct())
        {
            if (snapshot.Find(name) is { Usable.IsEmpty: false } state)
            {
                foreach (var address in AddressesOf(state.Info))
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
            if (!_open.ContainsKey(address))
            {
                TryOpen(address, name);
            }
        }
    }

    private void TryOpen(IPEndPoint address, ServicePortName name)
    {
        try
        {
            _open[address] = PortListener.Open(address, name, handler, options.ListenBacklog);
            _failed.Remove(address);
            Log.Opened(logger, name.ToString(), address.ToString());
        }
        catch (SocketException ex)
        {
            if (_failed.TryAdd(address, name))
            {
                Log.BindFailed(logger, name.ToString(), address.ToString(), ex.Message);
            }
        }
    }

    private IEnumerable<IPEndPoint> AddressesOf(ServicePortInfo info)
    {
        yield return new IPEndPoint(info.ClusterIP, info.Port);
        if (info.NodePort > 0 && options.NodePortAddress is { } nodeAddress)
        {
            yield return new IPEndPoint(nodeAddress, info.NodePort);
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
