using Berth.Kubelet.Container;
using Berth.Machinery.Serialization;
using k8s;
using k8s.Models;

namespace Berth.Kubelet.Status;

/// <summary>
/// Merges the kubelet's status into the API's before a write: conditions the kubelet does not own are kept from the
/// API; a terminal phase is held back while the pod could still have running containers; a terminal phase always
/// goes out with Ready/ContainersReady False (kubernetes/kubernetes#108594).
/// Mirrors kubernetes/kubernetes pkg/kubelet/status/status_manager.go (mergePodStatus).
/// </summary>
public static class PodStatusMerge
{
    public static V1PodStatus Merge(V1PodStatus apiStatus, V1PodStatus kubeletStatus, bool couldHaveRunningContainers)
    {
        var merged = ApiJson.DeepCopy(kubeletStatus);
        var conditions = (apiStatus.Conditions ?? []).Where(c => !PodConditions.IsOwnedByKubelet(c.Type)).ToList();
        var toTerminal = !PodSpecs.IsTerminalPhase(apiStatus.Phase) && PodSpecs.IsTerminalPhase(merged.Phase);
        foreach (var c in merged.Conditions ?? [])
        {
            if (PodConditions.IsOwnedByKubelet(c.Type))
            {
                conditions.Add(c);
            }
            else if (c.Type == PodConditions.DisruptionTarget && toTerminal && !couldHaveRunningContainers)
            {
                conditions.RemoveAll(x => x.Type == c.Type);
                conditions.Add(c);
            }
        }

        merged.Conditions = conditions;
        if (toTerminal && couldHaveRunningContainers)
        {
            (merged.Phase, merged.Reason, merged.Message) = (apiStatus.Phase, apiStatus.Reason, apiStatus.Message);
        }

        if (PodSpecs.IsTerminalPhase(merged.Phase))
        {
            var reason = merged.Phase == PodPhases.Failed ? PodConditions.PodFailed : PodConditions.PodCompleted;
            foreach (var c in merged.Conditions.Where(c => c.Type is PodConditions.Ready or PodConditions.ContainersReady && c.Status == "True"))
            {
                (c.Status, c.Reason, c.Message) = ("False", reason, null);
            }
        }

        return merged;
    }
}
