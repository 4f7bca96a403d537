using k8s.Models;

namespace Berth.Kubelet.Container;

/// <summary>
/// Questions about a pod spec the kubelet asks everywhere. Mirrors kubernetes/kubernetes pkg/api/v1/pod/util.go
/// (IsRestartableInitContainer, GetContainerSpec) and pkg/kubelet/container/helpers.go.
/// </summary>
public static class PodSpecs
{
    public const string RestartPolicyAlways = "Always";
    public const string RestartPolicyOnFailure = "OnFailure";
    public const string RestartPolicyNever = "Never";

    /// <summary>A sidecar: an init container with <c>restartPolicy: Always</c>.</summary>
    public static bool IsRestartableInitContainer(V1Container container) =>
        container.RestartPolicy == RestartPolicyAlways;

    public static IList<V1Container> InitContainers(V1Pod pod) => pod.Spec?.InitContainers ?? [];

    public static IList<V1Container> Containers(V1Pod pod) => pod.Spec?.Containers ?? [];

    /// <summary>The ephemeral containers as containers (see <see cref="Container.EphemeralContainers"/>).</summary>
    public static IList<V1Container> EphemeralContainers(V1Pod pod) => Container.EphemeralContainers.Of(pod);

    /// <summary>True when <paramref name="name"/> is one of the pod's ephemeral containers.</summary>
    public static bool IsEphemeral(V1Pod pod, string name) => pod.Spec?.EphemeralContainers?.Any(c => c.Name == name) == true;

    /// <summary>The pod's restart policy, <c>Always</c> when unset (API default).</summary>
    public static string RestartPolicy(V1Pod pod) =>
        string.IsNullOrEmpty(pod.Spec?.RestartPolicy) ? RestartPolicyAlways : pod.Spec.RestartPolicy;

    /// <summary>True unless the restart policy is Never (shouldRestartOnFailure).</summary>
    public static bool ShouldRestartOnFailure(V1Pod pod) => RestartPolicy(pod) != RestartPolicyNever;

    /// <summary>The init, main or ephemeral container named <paramref name="name"/>, or null.</summary>
    public static V1Container? GetContainerSpec(V1Pod pod, string name) =>
        Containers(pod).FirstOrDefault(c => c.Name == name) ?? InitContainers(pod).FirstOrDefault(c => c.Name == name)
        ?? (pod.Spec?.EphemeralContainers?.FirstOrDefault(c => c.Name == name) is { } ec ? Container.EphemeralContainers.ToContainer(ec) : null);

    /// <summary>True when <paramref name="name"/> is a sidecar of <paramref name="pod"/>.</summary>
    public static bool IsSidecar(V1Pod pod, string name) =>
        InitContainers(pod).Any(c => c.Name == name && IsRestartableInitContainer(c));

    /// <summary><c>metadata.deletionTimestamp</c> is set.</summary>
    public static bool IsDeleting(V1Pod pod) => pod.Metadata?.DeletionTimestamp is not null;

    /// <summary>Phase Succeeded or Failed.</summary>
    public static bool IsTerminalPhase(string? phase) => phase is "Succeeded" or "Failed";

    public static string Uid(V1Pod pod) => pod.Metadata?.Uid ?? "";

    /// <summary>The priority from which a pod is critical (scheduling.SystemCriticalPriority, system-cluster-critical's value).</summary>
    public const int SystemCriticalPriority = 2_000_000_000;

    /// <summary>
    /// Pods a graceful node shutdown stops last: <c>spec.priority</c> at least <see cref="SystemCriticalPriority"/>,
    /// as upstream's IsCriticalPod (pkg/kubelet/types/pod_update.go); a pod without a priority (one no Priority
    /// admission saw) is critical when it names a built-in critical class.
    /// </summary>
    public static bool IsCriticalPod(V1Pod pod) => pod.Spec?.Priority is { } priority
        ? priority >= SystemCriticalPriority
        : pod.Spec?.PriorityClassName is "system-node-critical" or "system-cluster-critical";
}
