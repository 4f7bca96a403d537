using System.Collections.Immutable;
using Berth.Proxy.Model;
using k8s.Models;

namespace Berth.Proxy.Tracking;

/// <summary>
/// Accumulates Service changes between two syncs: the latest proxied ports of every Service that changed (empty
/// when it was deleted or is not proxied). Informer handlers call <see cref="Update"/>; the sync loop calls
/// <see cref="Checkout"/>, which hands over and clears the pending set. Thread-safe (one short lock, never taken on
/// the connection path).
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/proxy/servicechangetracker.go (ServiceChangeTracker).</remarks>
public sealed class ServiceChangeTracker
{
    private readonly object _gate = new();
    private Dictionary<ServiceKey, ImmutableArray<ServicePortInfo>> _pending = [];

    /// <summary>Records the new state of a Service; <paramref name="current"/> is null when it was deleted. Returns true when something is pending.</summary>
    public bool Update(V1Service? previous, V1Service? current)
    {
        var meta = current?.Metadata ?? previous?.Metadata;
        if (meta?.Name is null)
        {
            return false;
        }
        var key = new ServiceKey(meta.NamespaceProperty ?? "default", meta.Name);
        var ports = current is null ? [] : ServicePorts.FromService(current);
        lock (_gate)
        {
            _pending[key] = ports;
            return true;
        }
    }

    /// <summary>Takes the pending changes (each Service's latest ports) and starts a new, empty set.</summary>
    public Dictionary<ServiceKey, ImmutableArray<ServicePortInfo>> Checkout()
    {
        lock (_gate)
        {
            var pending = _pending;
            _pending = [];
            return pending;
        }
    }
}
