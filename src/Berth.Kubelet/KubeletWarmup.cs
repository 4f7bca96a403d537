using System.Text.Json.Nodes;
using Berth.Kubelet.Abstractions;
using Berth.Kubelet.KubeRuntime;
using Berth.Kubelet.Runtime;
using Berth.Kubelet.Runtime.ProcessRuntime;
using Berth.Kubelet.Status;
using k8s.Models;

namespace Berth.Kubelet;

/// <summary>
/// The side-effect-free part of starting a pod's container, run once on a pod that does not exist (issue 3, the first
/// burst after start; called by the server's pod-path warm-up): the container's spec hash, its volume-mounts
/// annotation, its runtime state record encoded and decoded as <c>state.json</c> is (in memory, no file), and the
/// status write the kubelet then makes (merge with the API's status, the merge patch). Touches no file, process,
/// cache or API; what it leaves is compiled code, loaded types and the serializers' metadata.
/// </summary>
public static class KubeletWarmup
{
    /// <summary>
    /// Runs the steps for the first container of <paramref name="pod"/>, whose status is the one the kubelet would
    /// report; returns the merge patch of that status. Throws what the steps throw (e.g. for a pod without containers).
    /// </summary>
    public static JsonObject Run(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var container = pod.Spec.Containers[0];
        var mounts = (container.VolumeMounts ?? []).Select(m => new VolumeMount(container.Name, "/", m.MountPath, m.ReadOnlyProperty == true, m.SubPath)).ToList();
        var annotations = ContainerLabels.NewContainerAnnotations(pod, container, 0, 15);
        annotations[ContainerLabels.VolumeMounts] = ContainerLabels.VolumeMountsJson(mounts);
        var state = new ContainerStateFile
        {
            Id = ContainerHashes.Hash(container),
            Config = new ContainerConfig
            {
                PodUid = pod.Metadata.Uid ?? "", PodNamespace = pod.Metadata.NamespaceProperty ?? "", PodName = pod.Metadata.Name ?? "",
                ContainerName = container.Name, Argv = [.. container.Command ?? []],
                Mounts = [.. mounts.Select(m => new ContainerMount(m.MountPath, m.HostPath, m.ReadOnly))],
                Labels = ContainerLabels.NewContainerLabels(pod, container), Annotations = annotations,
            },
            LogPath = "0.log",
            State = ContainerState.Running,
            CreatedAt = DateTimeOffset.UnixEpoch,
            StartedAt = DateTimeOffset.UnixEpoch,
            Pid = 1,
            PidStartTime = 1,
        };
        _ = ContainerStateFile.FromUtf8(state.ToUtf8());
        var reported = pod.Status ?? new V1PodStatus();
        var merged = PodStatusMerge.Merge(new V1PodStatus { Phase = "Pending" }, reported, couldHaveRunningContainers: true);
        return PodStatusPatch.Create(new V1PodStatus { Phase = "Pending" }, merged, "1");
    }
}
