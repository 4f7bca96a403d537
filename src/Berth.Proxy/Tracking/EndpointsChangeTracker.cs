using System.Collections.Immutable;
using Berth.Proxy.Model;
using k8s.Models;

namespace Berth.Proxy.Tracking;

/// <summary>
/// Accumulates EndpointSlice changes between two syncs. <see cref="EndpointSliceUpdate"/> (informer handlers) stores
/// the slice and remembers, per Service, when the first unapplied change was observed (a
/// <see cref="TimeProvider.GetTimestamp"/> value, for the programming-latency metric). <see cref="Checkout"/> (the
/// sync loop) hands over the merged endpoints of every changed Service. Thread-safe (one short lock, never taken on
/// the connection path).
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/proxy/endpointschangetracker.go (EndpointsChangeTracker).</remarks>
public sealed class EndpointsChangeTracker(TimeProvider time)
{
    private readonly object _gate = new();
    private readonly EndpointSliceCache _cache = new();
    private Dictionary<ServiceKey, long> _pending = [];

    /// <summary>Records a new or changed slice, or a removed one. Returns false for slices without a Service label.</summary>
    public bool EndpointSliceUpdate(V1EndpointSlice slice, bool removed)
    {
        if (EndpointSliceCache.ServiceKeyOf(slice) is not { } key)
        {
            return false;
        }
        var observed = time.GetTimestamp();
        lock (_gate)
        {
            _cache.Update(key, slice, removed);
            _pending.TryAdd(key, observed);
            return true;
        }
    }

    /// <summary>Takes the pending changes: per changed Service, its endpoints by port name and when the change was first observed.</summary>
    public Dictionary<ServiceKey, EndpointsChange> Checkout()
    {
        lock (_gate)
        {
            var result = new Dictionary<ServiceKey, EndpointsChange>(_pending.Count);
            foreach (var (key, observed) in _pending)
            {
                result[key] = new EndpointsChange(_cache.EndpointsFor(key), observed);
            }
            _pending = [];
            return result;
        }
    }
}

/// <summary>The endpoints of one Service after a change, by port name, and when the change was first observed.</summary>
public sealed record EndpointsChange(Dictionary<string, ImmutableArray<EndpointInfo>> Endpoints, long ObservedTimestamp);
