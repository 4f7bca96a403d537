using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Machinery.Meta;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.EndpointSlice;

/// <summary>
/// Remembers every slice this controller wrote (object and resourceVersion) or deleted, per Service, so that
/// (1) informer events for our own writes do not enqueue the Service again, and (2) a sync that runs before the
/// informer has seen our last write works from what we wrote instead of the stale cache (no duplicate slices, and no
/// retry backoff on the hot path). Upstream instead fails such a sync and retries it.
/// Mirrors kubernetes/kubernetes staging/src/k8s.io/endpointslice/endpointslice_tracker.go (ShouldSync, StaleSlices).
/// </summary>
/// <remarks>Thread-safe. Objects handed in and out are treated as read-only.</remarks>
internal sealed class EndpointSliceTracker
{
    private readonly ConcurrentDictionary<ObjectKey, ConcurrentDictionary<string, Entry>> _byService = new();

    /// <summary>A slice we wrote (<see cref="Written"/> set) or deleted (null), at resourceVersion <see cref="Rv"/>.</summary>
    private sealed record Entry(long Rv, JsonObject? Written);

    public void Written(ObjectKey service, JsonObject slice) =>
        For(service)[slice.GetName()!] = new Entry(Rv(slice), slice);

    public void MarkDeleted(ObjectKey service, string sliceName) => For(service)[sliceName] = new Entry(long.MaxValue, null);

    /// <summary>Drops what we know of one slice (after a failed write), so the next sync trusts the cache.</summary>
    public void Forget(ObjectKey service, string sliceName)
    {
        if (_byService.TryGetValue(service, out var slices))
        {
            slices.TryRemove(sliceName, out _);
        }
    }

    public void DeleteService(ObjectKey service) => _byService.TryRemove(service, out _);

    /// <summary>
    /// True unless the event reports what we ourselves last did to <paramref name="slice"/>. A deletion we did not do
    /// also forgets our record of the slice.
    /// </summary>
    public bool ShouldSync(ObjectKey service, JsonObject slice, bool deleted)
    {
        var name = slice.GetName() ?? "";
        if (!_byService.TryGetValue(service, out var slices) || !slices.TryGetValue(name, out var entry))
        {
            return true;
        }
        if (deleted)
        {
            if (entry.Written is not null)
            {
                slices.TryRemove(name, out _);
                return true;
            }
            return false;
        }
        return entry.Written is null || Rv(slice) > entry.Rv;
    }

    /// <summary>
    /// The Service's slices as of our own last writes: cached slices older than what we wrote are replaced by it,
    /// slices we created that the cache lacks are added, and slices we deleted are left out. Also forgets deletions
    /// the cache has caught up with.
    /// </summary>
    public List<JsonObject> Overlay(ObjectKey service, IReadOnlyList<JsonObject> cached)
    {
        if (!_byService.TryGetValue(service, out var slices) || slices.IsEmpty)
        {
            return [.. cached];
        }
        var byName = cached.ToDictionary(s => s.GetName() ?? "", StringComparer.Ordinal);
        foreach (var (name, entry) in slices)
        {
            var present = byName.TryGetValue(name, out var inCache);
            if (entry.Written is null)
            {
                if (!present)
                {
                    slices.TryRemove(name, out _);
                }
                byName.Remove(name);
            }
            else if (!present || Rv(inCache!) < entry.Rv)
            {
                byName[name] = entry.Written;
            }
        }
        return [.. byName.Values];
    }

    private ConcurrentDictionary<string, Entry> For(ObjectKey service) =>
        _byService.GetOrAdd(service, _ => new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal));

    private static long Rv(JsonObject slice) =>
        long.TryParse(slice.GetResourceVersion(), NumberStyles.None, CultureInfo.InvariantCulture, out var rv) ? rv : 0;
}
