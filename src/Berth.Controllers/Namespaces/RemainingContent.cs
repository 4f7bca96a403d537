using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.Namespaces;

/// <summary>
/// What one deletion pass left in a terminating namespace: objects per resource and objects per finalizer.
/// Not thread-safe; one per pass.
/// </summary>
internal sealed class RemainingContent
{
    private readonly SortedDictionary<string, int> _resources = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> _finalizers = new(StringComparer.Ordinal);

    /// <summary>Counts one object that still exists: <paramref name="groupResource"/> is <c>pods.</c> or <c>deployments.apps</c>.</summary>
    public void Add(string groupResource, JsonObject obj)
    {
        _resources[groupResource] = _resources.GetValueOrDefault(groupResource) + 1;
        foreach (var f in obj.GetArray("metadata", "finalizers") ?? [])
        {
            if (f?.GetValue<string>() is { } name)
            {
                _finalizers[name] = _finalizers.GetValueOrDefault(name) + 1;
            }
        }
    }

    public IReadOnlyDictionary<string, int> Resources => _resources;

    public IReadOnlyDictionary<string, int> Finalizers => _finalizers;
}
