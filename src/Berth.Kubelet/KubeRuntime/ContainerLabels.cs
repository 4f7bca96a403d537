using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Kubelet.Abstractions;
using Berth.Kubelet.Runtime;
using k8s;
using k8s.Models;

namespace Berth.Kubelet.KubeRuntime;

/// <summary>
/// The labels and annotations the kubelet stores on every container it creates, so a restarted agent knows which pod
/// and container each one belongs to, and can kill an orphan the way its spec asked (grace, preStop, stop signal)
/// after the pod is gone. Mirrors kubernetes/kubernetes pkg/kubelet/kuberuntime/labels.go.
/// </summary>
internal static class ContainerLabels
{
    public const string PodName = "io.kubernetes.pod.name";
    public const string PodNamespace = "io.kubernetes.pod.namespace";
    public const string PodUid = "io.kubernetes.pod.uid";
    public const string ContainerName = "io.kubernetes.container.name";

    public const string ContainerHash = "io.kubernetes.container.hash";
    public const string RestartCount = "io.kubernetes.container.restartCount";
    public const string TerminationGracePeriod = "io.kubernetes.pod.terminationGracePeriod";
    public const string PreStopHandler = "io.kubernetes.container.preStopHandler";
    public const string Image = "io.kubernetes.container.image";
    public const string StopSignal = "berth.io/stop-signal";
    public const string VolumeMounts = "berth.io/volume-mounts";

    /// <summary>
    /// The <see cref="VolumeMounts"/> annotation: a JSON array of <c>{"MountPath","HostPath","ReadOnly","SubPath"}</c>
    /// (SubPath null when unset), written as nodes rather than by reflection over an anonymous type, which built
    /// serializer metadata and emitted accessors on the first container start (issue 3, first burst). Same text.
    /// </summary>
    public static string VolumeMountsJson(IEnumerable<VolumeMount> mounts) =>
        new JsonArray([.. mounts.Select(m => (JsonNode)new JsonObject
        {
            ["MountPath"] = m.MountPath,
            ["HostPath"] = m.HostPath,
            ["ReadOnly"] = m.ReadOnly,
            ["SubPath"] = m.SubPath,
        })]).ToJsonString();

    /// <summary>Identity labels (pod name, namespace, UID; container name).</summary>
    public static Dictionary<string, string> NewContainerLabels(V1Pod pod, V1Container container) => new(StringComparer.Ordinal)
    {
        [PodName] = pod.Metadata?.Name ?? "",
        [PodNamespace] = pod.Metadata?.NamespaceProperty ?? "",
        [PodUid] = pod.Metadata?.Uid ?? "",
        [ContainerName] = container.Name,
    };

    /// <summary>Annotations that let the agent act on the container without its spec (restart count, hash, grace, preStop).</summary>
    public static Dictionary<string, string> NewContainerAnnotations(V1Pod pod, V1Container container, int restartCount, int stopSignal)
    {
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ContainerHash] = ContainerHashes.Hash(container),
            [RestartCount] = restartCount.ToString(CultureInfo.InvariantCulture),
            [Image] = container.Image ?? "",
            [StopSignal] = stopSignal.ToString(CultureInfo.InvariantCulture),
        };
        if (pod.Spec?.TerminationGracePeriodSeconds is { } grace)
        {
            annotations[TerminationGracePeriod] = grace.ToString(CultureInfo.InvariantCulture);
        }

        if (container.Lifecycle?.PreStop is { } preStop)
        {
            annotations[PreStopHandler] = KubernetesJson.Serialize(preStop);
        }

        return annotations;
    }

    /// <summary>
    /// Rebuilds the minimal pod and container an orphan kill needs from what <see cref="NewContainerLabels"/> and
    /// <see cref="NewContainerAnnotations"/> stored. Mirrors restoreSpecsFromContainerLabels.
    /// </summary>
    public static (V1Pod Pod, V1Container Container) RestoreSpecs(ContainerStatus status)
    {
        var labels = status.Labels;
        var annotations = status.Annotations;
        var container = new V1Container { Name = status.ContainerName, Image = Get(annotations, Image) };
        if (Get(annotations, PreStopHandler) is { Length: > 0 } preStop)
        {
            container.Lifecycle = new V1Lifecycle { PreStop = KubernetesJson.Deserialize<V1LifecycleHandler>(preStop) };
        }

        var pod = new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = Get(labels, PodName),
                NamespaceProperty = Get(labels, PodNamespace),
                Uid = Get(labels, PodUid) is { Length: > 0 } uid ? uid : status.PodUid,
            },
            Spec = new V1PodSpec { Containers = [container] },
        };
        if (long.TryParse(Get(annotations, TerminationGracePeriod), CultureInfo.InvariantCulture, out var grace))
        {
            pod.Spec.TerminationGracePeriodSeconds = grace;
        }

        return (pod, container);
    }

    /// <summary>The stop signal stored at creation; SIGTERM when absent.</summary>
    public static int StoredStopSignal(ContainerStatus status) =>
        int.TryParse(Get(status.Annotations, StopSignal), CultureInfo.InvariantCulture, out var signal) && signal > 0
            ? signal
            : Interop.Signals.SIGTERM;

    private static string Get(IReadOnlyDictionary<string, string> map, string key) =>
        map.TryGetValue(key, out var value) ? value : "";
}
