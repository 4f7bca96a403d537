using Berth.Kubelet.Runtime;
using k8s.Models;

namespace Berth.Kubelet.KubeRuntime;

/// <summary>
/// One container to kill. <paramref name="Message"/> becomes the <c>Killing</c> event text ("Stopping container
/// &lt;name&gt;" when empty). <paramref name="GracePeriod"/> is the pod kill's shared override (null: the grace follows
/// from <paramref name="Reason"/> and the spec). <paramref name="Ordering"/> defers sidecars.
/// </summary>
public sealed record KillContainerRequest(
    V1Pod Pod,
    V1Container Spec,
    ContainerId ContainerId,
    string Message,
    KillReason Reason,
    GracePeriodOverride? GracePeriod,
    TerminationOrdering? Ordering,
    string? PodIP,
    int StopSignal);
