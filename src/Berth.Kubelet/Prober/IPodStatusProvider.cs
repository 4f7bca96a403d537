using k8s.Models;

namespace Berth.Kubelet.Prober;

/// <summary>The latest API status the agent generated for a pod (the status manager's cache).</summary>
public interface IPodStatusProvider
{
    /// <summary>False when the agent has generated no status for the pod yet (or has forgotten it).</summary>
    bool TryGetPodStatus(string podUid, out V1PodStatus status);
}
