using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Selectors;
using Berth.Machinery.Serialization;
using Berth.Registry;

namespace Berth.Testing.Fakes;

/// <summary>Selector matching and merge patch of <see cref="FakeApiClient"/>.</summary>
public sealed partial class FakeApiClient
{
    /// <summary>Applies an RFC 7386 merge patch to <paramref name="target"/> in place.</summary>
    internal static void MergePatch(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject patchChild && target[key] is JsonObject targetChild)
            {
                MergePatch(targetChild, patchChild);
            }
            else if (value is JsonObject newChild)
            {
                var created = new JsonObject();
                MergePatch(created, newChild);
                target[key] = created;
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }

    /// <summary>
    /// Namespace, label and field selection with the API's own parsers (<see cref="LabelSelector"/>,
    /// <see cref="FieldSelector"/>). Unlike the real registry, every dotted field path of a string value is
    /// selectable (<c>spec.nodeName</c>, <c>involvedObject.name</c>, …) and a missing field reads as "".
    /// </summary>
    private sealed class WatchFilter(ResourceKind kind, string? ns, ListOptions? options)
    {
        private readonly string? _namespace = kind.Namespaced && !string.IsNullOrEmpty(ns) ? ns : null;
        private readonly LabelSelector _labels = LabelSelector.Parse(options?.LabelSelector);
        private readonly FieldSelector _fields = FieldSelector.Parse(options?.FieldSelector);

        public bool Matches(JsonObject obj) =>
            (_namespace is null || obj.GetNamespace() == _namespace)
            && _labels.MatchesObject(obj)
            && _fields.Matches(path => obj.GetString(path.Split('.')) ?? "");
    }
}
