using System.Text.Json.Nodes;
using Berth.Controllers.Scheduling;
using Berth.Machinery.Serialization;
using k8s.Models;

namespace Berth.Controllers.DaemonSet;

/// <summary>
/// Whether a node should run a DaemonSet's pod. Built once per DaemonSet state from its template with the default
/// daemon tolerations added (upstream NewPod), then asked per node. A node should run the pod when the template's
/// nodeName (if any) names it, its labels satisfy nodeSelector and the required node affinity, and every NoSchedule
/// and NoExecute taint is tolerated. A pod already there should keep running when only the taints fail and none of
/// the untolerated ones is NoExecute (a NoSchedule taint keeps new daemons off but does not evict running ones).
/// Cordon (spec.unschedulable) counts only through its taint, which the default tolerations tolerate. Resources are
/// not considered: the scheduler decides whether the pod fits. Immutable and thread-safe.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/controller/daemon/daemon_controller.go (NodeShouldRunDaemonPod, predicates, NewPod).</remarks>
public sealed class DaemonPlacement
{
    private readonly V1Pod _pod;
    private readonly string? _templateNodeName;

    private DaemonPlacement(V1Pod pod)
    {
        _pod = pod;
        _templateNodeName = pod.Spec?.NodeName;
    }

    /// <summary>The placement rules of <paramref name="ds"/>'s current template (read, not mutated).</summary>
    public static DaemonPlacement For(JsonObject ds)
    {
        var template = DaemonSetUtil.CreatePodTemplate(ds.GetObject("spec", "template"), null);
        var pod = new JsonObject { ["metadata"] = template["metadata"]?.DeepClone() ?? new JsonObject(), ["spec"] = template["spec"]!.DeepClone() };
        pod.SetPath(ds.GetNamespace(), "metadata", "namespace");
        return new DaemonPlacement(ApiJson.ToModel<V1Pod>(pod));
    }

    /// <summary>(should a daemon pod be created there, may an existing daemon pod stay there).</summary>
    public (bool ShouldRun, bool ShouldContinueRunning) NodeShouldRunDaemonPod(V1Node node)
    {
        var nodeName = node.Metadata?.Name ?? "";
        if (!string.IsNullOrEmpty(_templateNodeName) && _templateNodeName != nodeName)
        {
            return (false, false);
        }
        if (!NodeSelectorMatcher.Matches(_pod, node))
        {
            return (false, false);
        }
        var taints = node.Spec?.Taints;
        var untolerated = Tolerations.FindMatchingUntoleratedTaint(taints, _pod.Spec?.Tolerations, t => t.Effect is "NoSchedule" or "NoExecute");
        if (untolerated is null)
        {
            return (true, true);
        }
        var untoleratedNoExecute = Tolerations.FindMatchingUntoleratedTaint(taints, _pod.Spec?.Tolerations, t => t.Effect == "NoExecute");
        return (false, untoleratedNoExecute is null);
    }
}
