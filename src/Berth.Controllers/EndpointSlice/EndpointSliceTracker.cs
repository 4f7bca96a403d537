using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Machinery.Meta;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.EndpointSlice;

/// <summary>
/// Remembers the resourceVersion of every slice this controller wrote, per Service, so that (1) informer events for
/// our own writes do not enqueue the Service again, and (2) a sync that sees an older cache than its own last write
/// fails (and is retried) instead of acting on stale slices and creating duplicates.
/// Mirrors kubernetes/kubernetes staging/src/k8s.io/endpointslice/endpointslice_tracker.go (ShouldSync, StaleSlices).
/// </summary>
/// <remarks>Thread-safe. A deleted slice is recorded with version <see cref="Deleted"/>.</remarks>
internal sealed class EndpointSliceTracker
{
    private const long Deleted = -1;
    private readonly ConcurrentDictionary<ObjectKey, ConcurrentDictionary<string, long>> _byService = new();

    public void Written(ObjectKey service, JsonObject slice) =>
        For(service)[slice.GetName()!] = Rv(slice);

    public void MarkDeleted(ObjectKey service, string sliceName) => For(service)[sliceName] = Deleted;

    public void DeleteService(ObjectKey service) => _byService.TryRemove(service, out _);

    /// <summary>True unless <paramref name="slice"/> is exactly what we last wrote (or older), i.e. the event tells us nothing new.</summary>
    public bool ShouldSync(ObjectKey service, JsonObject slice, bool deleted)
    {
        if (!_byService.TryGetValue(service, out var slices) || !slices.TryGetValue(slice.GetName() ?? "", out var rv))
        {
            return true;
        }
        return deleted ? rv != Deleted : rv == Deleted || Rv(slice) > rv;
    }

    /// <summary>True when <paramref name="cached"/> (the informer's slices of the Service) lag behind our own writes.</summary>
    public bool StaleSlices(ObjectKey service, IReadOnlyList<JsonObject> cached)
    {
        if (!_byService.TryGetValue(service, out var slices))
        {
            return false;
        }
        var byName = cached.ToDictionary(s => s.GetName() ?? "", Rv, StringComparer.Ordinal);
        foreach (var (name, rv) in slices)
        {
            var present = byName.TryGetValue(name, out var cachedRv);
            if (rv == Deleted ? present : !present || cachedRv < rv)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Forgets deletions the cache has caught up with, so the map does not grow without bound.</summary>
    public void Prune(ObjectKey service, IReadOnlyList<JsonObject> cached)
    {
        if (_byService.TryGetValue(service, out var slices))
        {
            var names = cached.Select(s => s.GetName()).ToHashSet(StringComparer.Ordinal);
            foreach (var (name, rv) in slices)
            {
                if (rv == Deleted && !names.Contains(name))
                {
                    slices.TryRemove(name, out _);
                }
            }
        }
    }

    private ConcurrentDictionary<string, long> For(ObjectKey service) =>
        _byService.GetOrAdd(service, _ => new ConcurrentDictionary<string, long>(StringComparer.Ordinal));

    private static long Rv(JsonObject slice) =>
        long.TryParse(slice.GetResourceVersion(), NumberStyles.None, CultureInfo.InvariantCulture, out var rv) ? rv : 0;
}
