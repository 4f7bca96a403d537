using System.Text.Json.Nodes;
using Berth.Controllers.Deployment;
using Berth.Controllers.Util;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.History;

/// <summary>
/// Building ControllerRevisions (apps/v1) for a parent workload: the hash of a revision's <c>data</c> with an optional
/// collision count, the name <c>&lt;parent&gt;-&lt;hash&gt;</c>, and a new revision carrying the template labels, the
/// hash label and a controller reference to the parent. Pure and thread-safe.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/history/controller_history.go (ControllerRevisionHashLabel,
/// ControllerRevisionName, NewControllerRevision, HashControllerRevision). The hash is FNV-32a over the canonical
/// form of <c>data</c> (<see cref="PodTemplateHash"/>: sorted keys, Go-omitempty values dropped) rather than over the
/// raw bytes, so that a template that went through <c>kubectl rollout undo</c> (which adds <c>"creationTimestamp":null</c>)
/// hashes as before. Hash values therefore differ from a real cluster's (docs/deviations.md).
/// </remarks>
public static class RevisionHistory
{
    /// <summary>The label holding a revision's hash (upstream ControllerRevisionHashLabel).</summary>
    public const string ControllerRevisionHashLabel = "controller.kubernetes.io/hash";

    /// <summary>Longest parent-name prefix kept in a revision name, so that prefix, dash and hash fit 253 characters.</summary>
    private const int MaxPrefixLength = 223;

    /// <summary><c>&lt;prefix&gt;-&lt;hash&gt;</c>, the prefix cut to 223 characters.</summary>
    public static string ControllerRevisionName(string prefix, string hash) =>
        (prefix.Length > MaxPrefixLength ? prefix[..MaxPrefixLength] : prefix) + "-" + hash;

    /// <summary>
    /// The safe-encoded hash of <paramref name="revision"/>'s <c>data</c>, perturbed by <paramref name="probe"/>
    /// (the collision count) when set. Equal data gives equal hashes in every process.
    /// </summary>
    public static string HashControllerRevision(JsonObject revision, long? probe) =>
        PodTemplateHash.Compute(revision["data"] as JsonObject, probe);

    /// <summary>
    /// A new, not yet stored ControllerRevision of <paramref name="parent"/>: labels copied from
    /// <paramref name="templateLabels"/> plus the hash label, a controller reference to the parent, <paramref name="data"/>
    /// (deep-copied) and <paramref name="revision"/>; named <c>&lt;parent&gt;-&lt;hash&gt;</c> in the parent's namespace.
    /// </summary>
    public static JsonObject NewControllerRevision(JsonObject parent, IReadOnlyDictionary<string, string> templateLabels, JsonObject data,
        long revision, long? collisionCount)
    {
        var labels = new JsonObject();
        foreach (var (key, value) in templateLabels)
        {
            labels[key] = value;
        }
        var cr = new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ControllerRevision",
            ["metadata"] = new JsonObject
            {
                ["namespace"] = parent.GetNamespace(),
                ["labels"] = labels,
                ["ownerReferences"] = new JsonArray(OwnerReferences.NewControllerRef(parent)),
            },
            ["data"] = data.DeepClone(),
            ["revision"] = revision,
        };
        var hash = HashControllerRevision(cr, collisionCount);
        cr.Metadata()["name"] = ControllerRevisionName(parent.GetName() ?? "", hash);
        labels[ControllerRevisionHashLabel] = hash;
        return cr;
    }

    /// <summary>The <c>revision</c> number of a ControllerRevision (0 when absent).</summary>
    public static long RevisionOf(JsonObject revision) => revision.GetLong("revision") ?? 0;
}
