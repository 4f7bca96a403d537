using Berth.Client.Events;
using Berth.Kubelet.Container;
using Berth.Kubelet.Events;
using Berth.Kubelet.Status;
using Berth.Kubelet.Util;
using k8s.Models;

namespace Berth.Kubelet.KubeRuntime;

public sealed partial class KubeRuntimeManager
{
    /// <summary>
    /// Crash-loop back-off before a start: measured from the newest exited instance's finishedAt, keyed by pod
    /// name/namespace/UID, container name and spec hash. In back-off: a CrashLoopBackOff result with upstream's
    /// message and the time left; otherwise the key's back-off advances (10 s, doubling to 300 s) and null is
    /// returned. Mirrors kuberuntime_manager.go (doBackOff, getStableKey).
    /// </summary>
    private StartContainerResult? DoBackOff(V1Pod pod, V1Container container, PodRuntimeStatus podStatus)
    {
        if (podStatus.FindLatestExited(container.Name) is not { FinishedAt: { } finishedAt })
        {
            return null;
        }

        var key = StableKey(pod, container);
        if (!crashLoopBackOff.IsInBackOffSince(key, finishedAt))
        {
            crashLoopBackOff.Next(key, finishedAt);
            return null;
        }

        var backOff = GoDuration.Format(crashLoopBackOff.Get(key));
        Log.InBackOff(logger, pod.Metadata?.NamespaceProperty, pod.Metadata?.Name, container.Name, backOff);
        recorder.ContainerEvent(pod, container.Name, EventTypes.Warning, EventReasons.BackOffStartContainer,
            $"Back-off restarting failed container {container.Name} in pod {PodFormat.Pod(pod)}");
        return new StartContainerResult(container.Name, ContainerWaitingReasons.CrashLoopBackOff,
            $"back-off {backOff} restarting failed container={container.Name} pod={PodFormat.Pod(pod)}",
            crashLoopBackOff.Remaining(key, finishedAt));
    }

    /// <summary>The back-off key prefix of a pod (to forget its entries when the pod goes away).</summary>
    public static string StableKeyPrefix(V1Pod pod) =>
        $"{pod.Metadata?.Name}_{pod.Metadata?.NamespaceProperty}_{pod.Metadata?.Uid}_";

    private static string StableKey(V1Pod pod, V1Container container) =>
        StableKeyPrefix(pod) + container.Name + "_" + ContainerHashes.Hash(container);
}
