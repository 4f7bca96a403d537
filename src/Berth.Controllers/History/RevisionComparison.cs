using System.Text.Json.Nodes;
using Berth.Controllers.Deployment;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.History;

/// <summary>
/// Ordering and equality of ControllerRevisions. Pure, thread-safe, and never mutates its arguments.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/history/controller_history.go (SortControllerRevisions, byRevision,
/// EqualRevision, FindEqualRevisions). Deviation: equality compares the canonical form of <c>data</c> only; upstream
/// also compares the hash labels, but only when they happen to parse as integers (safe-encoded hashes rarely do), so
/// dropping that check changes nothing but the accident.
/// </remarks>
public static class RevisionComparison
{
    /// <summary>
    /// A new list sorted by <c>revision</c>, then by creation time, then by name (oldest first). Revisions created in
    /// the same second with the same number are ordered by name, so the order is total and stable.
    /// </summary>
    public static IReadOnlyList<JsonObject> SortControllerRevisions(IEnumerable<JsonObject> revisions) =>
        [.. revisions
            .OrderBy(RevisionHistory.RevisionOf)
            .ThenBy(r => CreationTime(r))
            .ThenBy(r => r.GetName(), StringComparer.Ordinal)];

    /// <summary>Whether both revisions hold the same data (both null counts as equal).</summary>
    public static bool EqualRevision(JsonObject? lhs, JsonObject? rhs)
    {
        if (lhs is null || rhs is null)
        {
            return ReferenceEquals(lhs, rhs);
        }
        return PodTemplateHash.Canonical(lhs["data"] as JsonObject, null) == PodTemplateHash.Canonical(rhs["data"] as JsonObject, null);
    }

    /// <summary>The revisions in <paramref name="revisions"/> equal to <paramref name="needle"/>, in input order.</summary>
    public static IReadOnlyList<JsonObject> FindEqualRevisions(IEnumerable<JsonObject> revisions, JsonObject needle)
    {
        var canonical = PodTemplateHash.Canonical(needle["data"] as JsonObject, null);
        return [.. revisions.Where(r => PodTemplateHash.Canonical(r["data"] as JsonObject, null) == canonical)];
    }

    private static DateTimeOffset CreationTime(JsonObject revision) =>
        DateTimeOffset.TryParse(revision.GetString("metadata", "creationTimestamp"), System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : DateTimeOffset.MinValue;
}
