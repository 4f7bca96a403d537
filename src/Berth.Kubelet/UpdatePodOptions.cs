using Berth.Kubelet.Container;
using k8s.Models;

namespace Berth.Kubelet;

/// <summary>
/// One update for a pod worker: the newest version of the pod, or only a runtime pod (containers of a pod that no
/// longer exists in the API: can only be killed). Mirrors kubernetes/kubernetes pkg/kubelet/pod_workers.go (UpdatePodOptions).
/// </summary>
public sealed record UpdatePodOptions(SyncPodType UpdateType, V1Pod? Pod, PodRuntimeStatus? RunningPod = null, KillPodOptions? KillPodOptions = null)
{
    /// <summary>The pod's UID, from the pod or the runtime pod.</summary>
    public string Uid => Pod?.Metadata?.Uid ?? RunningPod?.PodUid ?? "";
}
