using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.Deployment;

/// <summary>
/// Orderings of ReplicaSets the Deployment controller scales and cleans up by. Ties go by name, as upstream does.
/// Mirrors kubernetes/kubernetes pkg/controller/controller_utils.go (ReplicaSetsByCreationTimestamp,
/// ReplicaSetsBySizeOlder, ReplicaSetsBySizeNewer) and deployment/util (ReplicaSetsByRevision).
/// </summary>
public static class ReplicaSetOrder
{
    /// <summary>Oldest first.</summary>
    public static IReadOnlyList<JsonObject> ByCreation(IEnumerable<JsonObject> rss) =>
        [.. rss.OrderBy(Created).ThenBy(rs => rs.GetName(), StringComparer.Ordinal)];

    /// <summary>Largest first; among equals, older first.</summary>
    public static IReadOnlyList<JsonObject> BySizeOlder(IEnumerable<JsonObject> rss) =>
        [.. rss.OrderByDescending(DeploymentUtil.Replicas).ThenBy(Created).ThenBy(rs => rs.GetName(), StringComparer.Ordinal)];

    /// <summary>Largest first; among equals, newer first.</summary>
    public static IReadOnlyList<JsonObject> BySizeNewer(IEnumerable<JsonObject> rss) =>
        [.. rss.OrderByDescending(DeploymentUtil.Replicas).ThenByDescending(Created).ThenBy(rs => rs.GetName(), StringComparer.Ordinal)];

    /// <summary>Lowest revision first (then by creation).</summary>
    public static IReadOnlyList<JsonObject> ByRevision(IEnumerable<JsonObject> rss) =>
        [.. rss.OrderBy(Annotations.RevisionOf).ThenBy(Created).ThenBy(rs => rs.GetName(), StringComparer.Ordinal)];

    private static string Created(JsonObject rs) => rs.GetString("metadata", "creationTimestamp") ?? "";
}
