using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.Deployment;

/// <summary>
/// The <c>deployment.kubernetes.io/*</c> annotations on Deployments and their ReplicaSets: the revision (on both, as
/// <c>kubectl rollout history|undo</c> reads it), the history of revisions a reused ReplicaSet had, and the desired
/// and maximum replicas a ReplicaSet was sized for (proportional scaling reads them). Mutating methods change the
/// given object in place (a copy the caller owns) and return whether anything changed.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/controller/deployment/util/deployment_util.go (SetNewReplicaSetAnnotations,
/// copyDeploymentAnnotationsToReplicaSet, skipCopyAnnotation, SetReplicasAnnotations, SetDeploymentRevision, Revision).</remarks>
public static class Annotations
{
    public const string Revision = "deployment.kubernetes.io/revision";
    public const string RevisionHistory = "deployment.kubernetes.io/revision-history";
    public const string DesiredReplicas = "deployment.kubernetes.io/desired-replicas";
    public const string MaxReplicas = "deployment.kubernetes.io/max-replicas";
    public const string RollbackTo = "deprecated.deployment.rollback.to";
    public const string LastAppliedConfig = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>Longest revision-history value kept (upstream maxRevHistoryLengthInChars).</summary>
    public const int MaxRevHistoryLengthInChars = 2000;

    public static string? Get(JsonObject obj, string key) => obj.GetString("metadata", "annotations", key);

    public static int? GetInt(JsonObject obj, string key) =>
        int.TryParse(Get(obj, key), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>The revision number of a ReplicaSet or Deployment; 0 when unset or unparsable.</summary>
    public static long RevisionOf(JsonObject obj) =>
        long.TryParse(Get(obj, Revision), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;

    public static bool Set(JsonObject obj, string key, string value)
    {
        var meta = obj.Metadata();
        if (meta["annotations"] is not JsonObject annotations)
        {
            annotations = [];
            meta["annotations"] = annotations;
        }
        if (annotations[key]?.GetValue<string>() == value)
        {
            return false;
        }
        annotations[key] = value;
        return true;
    }

    /// <summary>Annotations the ReplicaSet does not take over from its Deployment.</summary>
    public static bool SkipCopyAnnotation(string key) =>
        key is LastAppliedConfig or Revision or RevisionHistory or DesiredReplicas or MaxReplicas or RollbackTo;

    /// <summary>Copies the Deployment's annotations (except the skipped ones) onto the ReplicaSet.</summary>
    public static bool CopyDeploymentAnnotationsToReplicaSet(JsonObject d, JsonObject rs)
    {
        var changed = false;
        foreach (var (key, value) in d.GetStringMap("metadata", "annotations"))
        {
            if (!SkipCopyAnnotation(key))
            {
                changed |= Set(rs, key, value);
            }
        }
        return changed;
    }

    public static bool SetReplicasAnnotations(JsonObject rs, int desired, int max) =>
        Set(rs, DesiredReplicas, desired.ToString(CultureInfo.InvariantCulture)) | Set(rs, MaxReplicas, max.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// Gives the new ReplicaSet the Deployment's annotations and revision <paramref name="newRevision"/> when that is
    /// higher than its own; a ReplicaSet that had a revision (a rollback reuses it) appends the old one to its
    /// revision-history. A ReplicaSet about to be created (<paramref name="exists"/> false) also gets the replica annotations.
    /// </summary>
    public static bool SetNewReplicaSetAnnotations(JsonObject d, JsonObject rs, long newRevision, bool exists)
    {
        var changed = CopyDeploymentAnnotationsToReplicaSet(d, rs);
        var oldRevisionText = Get(rs, Revision);
        var oldRevision = RevisionOf(rs);
        if (oldRevisionText is { Length: > 0 } && oldRevision == 0 && oldRevisionText != "0")
        {
            return changed;
        }
        if (oldRevision < newRevision)
        {
            changed |= Set(rs, Revision, newRevision.ToString(CultureInfo.InvariantCulture));
            if (oldRevisionText is not null)
            {
                changed |= AppendRevisionHistory(rs, oldRevisionText);
            }
        }
        if (!exists)
        {
            changed |= SetReplicasAnnotations(rs, Replicas(d), Replicas(d) + DeploymentUtil.MaxSurge(d));
        }
        return changed;
    }

    private static int Replicas(JsonObject d) => DeploymentUtil.Replicas(d);

    private static bool AppendRevisionHistory(JsonObject rs, string oldRevision)
    {
        var history = Get(rs, RevisionHistory) ?? "";
        if (history.Length == 0)
        {
            return Set(rs, RevisionHistory, oldRevision);
        }
        var revisions = history.Split(',').ToList();
        var total = history.Length + oldRevision.Length + 1;
        var start = 0;
        while (total > MaxRevHistoryLengthInChars && start < revisions.Count)
        {
            total -= revisions[start].Length + 1;
            start++;
        }
        return total <= MaxRevHistoryLengthInChars && Set(rs, RevisionHistory, string.Join(",", revisions.Skip(start).Append(oldRevision)));
    }
}
