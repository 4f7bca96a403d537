using System.Collections.Concurrent;
using System.Net;
using Berth.Proxy.Model;

namespace Berth.Proxy.Metrics;

/// <summary>
/// Owns the <see cref="EndpointStats"/> of every (service port, endpoint) pair. The sync loop gets or creates them
/// while it builds a snapshot and retires the ones that left; the exporter reads them all and forgets retired pairs
/// without active connections. Thread-safe.
/// </summary>
public sealed class EndpointStatsRegistry
{
    private readonly ConcurrentDictionary<(ServicePortName Port, IPEndPoint Endpoint), EndpointStats> _stats = new();

    public EndpointStats GetOrAdd(ServicePortName port, IPEndPoint endpoint)
    {
        var stats = _stats.GetOrAdd((port, endpoint), static key => new EndpointStats(key.Port, key.Endpoint));
        stats.Retired = false;
        return stats;
    }

    /// <summary>The stats of a pair, or null when it has none.</summary>
    public EndpointStats? Find(ServicePortName port, IPEndPoint endpoint) => _stats.GetValueOrDefault((port, endpoint));

    /// <summary>Marks every pair of <paramref name="port"/> not in <paramref name="current"/> as retired.</summary>
    public void RetireExcept(ServicePortName port, IReadOnlySet<IPEndPoint> current)
    {
        foreach (var (key, stats) in _stats)
        {
            if (key.Port == port && !current.Contains(key.Endpoint))
            {
                stats.Retired = true;
            }
        }
    }

    public IEnumerable<EndpointStats> All => _stats.Values;

    /// <summary>Drops a retired pair whose connections all ended; returns false when it is still in use.</summary>
    public bool TryForget(EndpointStats stats) =>
        stats.Retired && stats.ActiveConnections == 0
        && _stats.TryRemove(new KeyValuePair<(ServicePortName, IPEndPoint), EndpointStats>((stats.Port, stats.Endpoint), stats));
}
