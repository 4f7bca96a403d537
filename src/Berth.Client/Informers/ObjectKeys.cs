using System.Text.Json.Nodes;
using Berth.Machinery.Meta;
using Berth.Machinery.Serialization;

namespace Berth.Client.Informers;

/// <summary>The cache key of an object: its namespace (empty for cluster-scoped) and name.</summary>
/// <remarks>Mirrors kubernetes/client-go tools/cache/store.go (MetaNamespaceKeyFunc).</remarks>
public static class ObjectKeys
{
    /// <summary>The key of <paramref name="obj"/>; an object without <c>metadata.name</c> is a caller bug.</summary>
    public static ObjectKey KeyOf(JsonObject obj) =>
        new(obj.GetNamespace() ?? "", obj.GetName() ?? throw new ArgumentException("object has no metadata.name", nameof(obj)));
}
