using Berth.Kubelet.Container;
using k8s.Models;

namespace Berth.Kubelet.Status;

/// <summary>
/// The kubelet-owned pod conditions: Initialized, ContainersReady, Ready (with readiness gates), and the condition
/// types the kubelet owns (which <see cref="PodStatusGenerator"/> regenerates; others are preserved).
/// Messages list container names like Go's <c>%s</c> of a slice: "containers with unready status: [a b]".
/// Mirrors kubernetes/kubernetes pkg/kubelet/status/generate.go and pkg/kubelet/types/pod_status.go.
/// </summary>
public static class PodConditions
{
    public const string PodScheduled = "PodScheduled";
    public const string PodReadyToStartContainers = "PodReadyToStartContainers";
    public const string Initialized = "Initialized";
    public const string ContainersReady = "ContainersReady";
    public const string Ready = "Ready";
    public const string DisruptionTarget = "DisruptionTarget";

    public const string PodCompleted = "PodCompleted";
    public const string PodFailed = "PodFailed";
    public const string ContainersNotReady = "ContainersNotReady";
    public const string ContainersNotInitialized = "ContainersNotInitialized";
    public const string ReadinessGatesNotReady = "ReadinessGatesNotReady";

    /// <summary>Condition types whose value the kubelet computes (others are kept as the API has them).</summary>
    public static bool IsOwnedByKubelet(string type) =>
        type is PodScheduled or PodReadyToStartContainers or Initialized or ContainersReady or Ready;

    public static V1PodCondition Condition(string type, bool status, string? reason = null, string? message = null) => new()
    {
        Type = type,
        Status = status ? "True" : "False",
        Reason = string.IsNullOrEmpty(reason) ? null : reason,
        Message = string.IsNullOrEmpty(message) ? null : message,
    };

    public static V1PodCondition GenerateContainersReady(V1Pod pod, IReadOnlyList<V1ContainerStatus> statuses, string phase)
    {
        var unknown = new List<string>();
        var unready = new List<string>();
        var watched = PodSpecs.InitContainers(pod).Where(PodSpecs.IsRestartableInitContainer).Concat(PodSpecs.Containers(pod));
        foreach (var container in watched)
        {
            var status = statuses.FirstOrDefault(s => s.Name == container.Name);
            if (status is null)
            {
                unknown.Add(container.Name);
            }
            else if (!status.Ready)
            {
                unready.Add(container.Name);
            }
        }

        if ((phase == PodPhases.Succeeded && unknown.Count == 0) || phase == PodPhases.Failed)
        {
            return Condition(ContainersReady, false, phase == PodPhases.Failed ? PodFailed : PodCompleted);
        }

        var messages = new List<string>();
        if (unknown.Count > 0)
        {
            messages.Add($"containers with unknown status: {GoList(unknown)}");
        }

        if (unready.Count > 0)
        {
            messages.Add($"containers with unready status: {GoList(unready)}");
        }

        return messages.Count > 0
            ? Condition(ContainersReady, false, ContainersNotReady, string.Join(", ", messages))
            : Condition(ContainersReady, true);
    }

    public static V1PodCondition GenerateReady(V1Pod pod, IReadOnlyList<V1PodCondition> conditions,
        IReadOnlyList<V1ContainerStatus> statuses, string phase)
    {
        var containersReady = GenerateContainersReady(pod, statuses, phase);
        if (containersReady.Status != "True")
        {
            return Condition(Ready, false, containersReady.Reason, containersReady.Message);
        }

        var messages = new List<string>();
        foreach (var gate in pod.Spec?.ReadinessGates ?? [])
        {
            var c = conditions.FirstOrDefault(x => x.Type == gate.ConditionType);
            if (c is null)
            {
                messages.Add($"corresponding condition of pod readiness gate \"{gate.ConditionType}\" does not exist.");
            }
            else if (c.Status != "True")
            {
                messages.Add($"the status of pod readiness gate \"{gate.ConditionType}\" is not \"True\", but {c.Status}");
            }
        }

        return messages.Count > 0 ? Condition(Ready, false, ReadinessGatesNotReady, string.Join(", ", messages)) : Condition(Ready, true);
    }

    public static V1PodCondition GenerateInitialized(V1Pod pod, IReadOnlyList<V1ContainerStatus> statuses, string phase)
    {
        var unknown = new List<string>();
        var incomplete = new List<string>();
        foreach (var container in PodSpecs.InitContainers(pod))
        {
            var status = statuses.FirstOrDefault(s => s.Name == container.Name);
            if (status is null)
            {
                unknown.Add(container.Name);
            }
            else if (PodSpecs.IsRestartableInitContainer(container) ? status.Started != true : !status.Ready)
            {
                incomplete.Add(container.Name);
            }
        }

        if (phase == PodPhases.Succeeded && unknown.Count == 0)
        {
            return Condition(Initialized, true, PodCompleted);
        }

        if (HasAnyRegularContainerStarted(pod, statuses))
        {
            return Condition(Initialized, true);
        }

        var messages = new List<string>();
        if (unknown.Count > 0)
        {
            messages.Add($"containers with unknown status: {GoList(unknown)}");
        }

        if (incomplete.Count > 0)
        {
            messages.Add($"containers with incomplete status: {GoList(incomplete)}");
        }

        return messages.Count > 0
            ? Condition(Initialized, false, ContainersNotInitialized, string.Join(", ", messages))
            : Condition(Initialized, true);
    }

    /// <summary>A main container's current state is running or terminated (it got past initialization).</summary>
    public static bool HasAnyRegularContainerStarted(V1Pod pod, IReadOnlyList<V1ContainerStatus> statuses) =>
        PodSpecs.Containers(pod).Any(c => statuses.FirstOrDefault(s => s.Name == c.Name) is { } s
            && (s.State?.Running is not null || s.State?.Terminated is not null));

    /// <summary>Go's <c>%s</c> rendering of a string slice: <c>[a b c]</c>.</summary>
    public static string GoList(IEnumerable<string> items) => "[" + string.Join(" ", items) + "]";
}
