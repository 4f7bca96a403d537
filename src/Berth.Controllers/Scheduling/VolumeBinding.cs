using System.Text.Json.Nodes;
using Berth.Client.Informers;
using Berth.Controllers.Volume;
using Berth.Machinery.Serialization;
using Berth.Registry.Core.PersistentVolumes;
using k8s;
using k8s.Models;

namespace Berth.Controllers.Scheduling;

/// <summary>What the VolumeBinding plugin found for one pod's claims.</summary>
/// <param name="Failure">The PreFilter message that makes the pod unschedulable everywhere, or null.</param>
/// <param name="NodeAffinities">The node affinities of the volumes bound to the pod's claims (every one must match).</param>
/// <param name="DelayedClaims">Unbound WaitForFirstConsumer claims: they get the chosen node before the pod is bound.</param>
/// <param name="SelectedNode">A node already selected for one of the delayed claims: the pod must go there.</param>
internal sealed record PodVolumes(string? Failure, IReadOnlyList<V1NodeSelector> NodeAffinities, IReadOnlyList<JsonObject> DelayedClaims, string? SelectedNode)
{
    public static readonly PodVolumes None = new(null, [], [], null);
}

/// <summary>
/// The scheduler's VolumeBinding plugin. PreFilter: every claim the pod names must exist and not be being deleted,
/// and an unbound claim must have a WaitForFirstConsumer class (an unbound "immediate" claim waits for the binder).
/// Filter: the node must match the node affinity of every bound volume
/// (<c>node(s) had volume node affinity conflict</c>). The scheduler then writes the chosen node on the delayed
/// claims (<see cref="VolumeAnnotations.SelectedNode"/>) and binds the pod only once the binder has bound them.
/// Reads the informer caches only; stateless otherwise, thread-safe.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/scheduler/framework/plugins/volumebinding (PreFilter, Filter, PreBind) and its binder's messages.</remarks>
internal sealed class VolumeBinding(SharedInformer claims, SharedInformer volumes, SharedInformer classes)
{
    public const string ErrReasonBindConflict = "node(s) had volume node affinity conflict";
    public const string UnboundImmediate = "pod has unbound immediate PersistentVolumeClaims";

    public PodVolumes PreFilter(JsonObject pod)
    {
        var ns = pod.GetNamespace() ?? "";
        var affinities = new List<V1NodeSelector>();
        var delayed = new List<JsonObject>();
        string? selected = null;
        foreach (var name in VolumeProtectionController.ClaimNames(pod).Distinct(StringComparer.Ordinal))
        {
            var claim = claims.Lister.Get(ns, name);
            if (claim is null)
            {
                return new PodVolumes($"persistentvolumeclaim \"{name}\" not found", [], [], null);
            }
            if (claim.GetString("metadata", "deletionTimestamp") is not null)
            {
                return new PodVolumes($"persistentvolumeclaim \"{name}\" is being deleted", [], [], null);
            }
            var volumeName = claim.GetString("spec", "volumeName");
            if (!string.IsNullOrEmpty(volumeName) && claim.GetString("status", "phase") == "Bound")
            {
                if (volumes.Lister.Get(null, volumeName)?.GetObject("spec", "nodeAffinity", "required") is { } required)
                {
                    affinities.Add(KubernetesJson.Deserialize<V1NodeSelector>(required.ToJsonString()));
                }
                continue;
            }
            var className = StorageClassNames.Of(claim);
            var storageClass = className.Length == 0 ? null : classes.Lister.Get(null, className);
            if (storageClass?.GetString("volumeBindingMode") != "WaitForFirstConsumer")
            {
                return new PodVolumes(UnboundImmediate, [], [], null);
            }
            delayed.Add(claim);
            selected ??= claim.GetString("metadata", "annotations", VolumeAnnotations.SelectedNode);
        }
        return affinities.Count == 0 && delayed.Count == 0 ? PodVolumes.None : new PodVolumes(null, affinities, delayed, selected);
    }

    /// <summary>The Filter step for one node; null when the node fits.</summary>
    public static FilterStatus? Filter(PodVolumes volumes, NodeInfo node)
    {
        if (volumes.SelectedNode is not null && volumes.SelectedNode != node.Name)
        {
            return FilterStatus.Unresolvable(ErrReasonBindConflict);
        }
        return volumes.NodeAffinities.All(a => NodeSelectorMatcher.MatchesSelector(a, node.Node)) ? null : FilterStatus.Unresolvable(ErrReasonBindConflict);
    }
}
