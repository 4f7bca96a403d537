using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Client.Informers;

/// <summary>Computes the index values of an object (none, one or several). Must be pure and cheap: it runs under the store lock.</summary>
public delegate IEnumerable<string> IndexFunc(JsonObject obj);

/// <summary>Well-known indexes.</summary>
/// <remarks>Mirrors kubernetes/client-go tools/cache/index.go (MetaNamespaceIndexFunc, NamespaceIndex).</remarks>
public static class Indexers
{
    /// <summary>Index name of <see cref="MetaNamespace"/>; every informer has it.</summary>
    public const string NamespaceIndex = "namespace";

    /// <summary>Index name of <see cref="PodNodeName"/>.</summary>
    public const string NodeNameIndex = "spec.nodeName";

    /// <summary>Indexes by <c>metadata.namespace</c> (cluster-scoped objects are not indexed).</summary>
    public static IEnumerable<string> MetaNamespace(JsonObject obj) =>
        obj.GetNamespace() is { Length: > 0 } ns ? [ns] : [];

    /// <summary>Indexes pods by <c>spec.nodeName</c> (unscheduled pods are not indexed).</summary>
    public static IEnumerable<string> PodNodeName(JsonObject obj) =>
        obj.GetString("spec", "nodeName") is { Length: > 0 } node ? [node] : [];
}
