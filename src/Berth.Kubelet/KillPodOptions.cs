using k8s.Models;

namespace Berth.Kubelet;

/// <summary>
/// Options of a kill requested from inside the agent (force delete observed, orphan, node shutdown).
/// <paramref name="GracePeriodSecondsOverride"/> can only shorten the effective grace. <paramref name="PodStatusFunc"/>
/// is applied to every status generated while terminating (e.g. node shutdown: phase Failed, reason Terminated).
/// <paramref name="Completed"/> is completed once the pod's containers have all stopped (or at once when the worker
/// is already past that). Mirrors kubernetes/kubernetes pkg/kubelet/pod_workers.go (KillPodOptions).
/// </summary>
public sealed record KillPodOptions(
    long? GracePeriodSecondsOverride = null,
    Action<V1PodStatus>? PodStatusFunc = null,
    TaskCompletionSource? Completed = null,
    bool Evict = false);
