using System.Collections.Concurrent;
using System.Net;
using Berth.Proxy.Model;

namespace Berth.Proxy.Affinity;

/// <summary>
/// <c>sessionAffinity: ClientIP</c>: remembers which endpoint each client IP last used for a service port, and for
/// how long it stays sticky (<c>timeoutSeconds</c>, counted from the client's latest new connection, like the
/// iptables <c>recent</c> match). Time comes from the injected <see cref="TimeProvider"/>. Thread-safe: lookups are
/// lock-free reads of a <see cref="ConcurrentDictionary{TKey,TValue}"/>; recording replaces an immutable entry.
/// </summary>
/// <remarks>Mirrors the ClientIP affinity of kubernetes/kubernetes pkg/proxy/iptables/proxier.go (recent module rules).</remarks>
public sealed class SessionAffinityTable(TimeProvider time)
{
    private readonly ConcurrentDictionary<(ServicePortName Port, IPAddress Client), Entry> _entries = new();

    public int Count => _entries.Count;

    /// <summary>The index in <see cref="ServicePortState.Usable"/> of the client's sticky endpoint, or -1 when it has none, it expired, or it is no longer usable.</summary>
    public int Lookup(ServicePortState port, IPAddress client)
    {
        var key = (port.Info.Name, client);
        if (!_entries.TryGetValue(key, out var entry))
        {
            return -1;
        }
        if (time.GetElapsedTime(entry.LastUsed) > port.Info.StickyMaxAge)
        {
            _entries.TryRemove(new KeyValuePair<(ServicePortName, IPAddress), Entry>(key, entry));
            return -1;
        }
        var usable = port.Usable;
        for (var i = 0; i < usable.Length; i++)
        {
            if (usable[i].Address.Equals(entry.Endpoint))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Makes <paramref name="endpoint"/> the client's sticky endpoint from now on.</summary>
    public void Record(ServicePortName port, IPAddress client, IPEndPoint endpoint) =>
        _entries[(port, client)] = new Entry(endpoint, time.GetTimestamp());

    /// <summary>Forgets every client of service ports that are no longer proxied. Called by the sync loop.</summary>
    public void RemoveServicePorts(IEnumerable<ServicePortName> ports)
    {
        var gone = ports.ToHashSet();
        if (gone.Count == 0 || _entries.IsEmpty)
        {
            return;
        }
        foreach (var key in _entries.Keys)
        {
            if (gone.Contains(key.Port))
            {
                _entries.TryRemove(key, out _);
            }
        }
    }

    private sealed record Entry(IPEndPoint Endpoint, long LastUsed);
}
