using Berth.Machinery.Errors;
using k8s.Models;

namespace Berth.Kubelet.Streaming;

/// <summary>
/// Decides from the pod's status which container instance's log a request means, or why there is none, with
/// upstream's messages (400 BadRequest): a running or terminated instance, or the last terminated one while the
/// container waits to restart; with previous=true only the last terminated one.
/// Mirrors kubernetes/kubernetes pkg/kubelet/kubelet_pods.go (validateContainerLogStatus).
/// </summary>
internal static class ContainerLogStatus
{
    /// <summary>The chosen instance: its containerID URI and whether it is the last terminated one (lastState).</summary>
    public readonly record struct Choice(string ContainerId, bool IsLastTerminated, int RestartCount);

    public static Choice Validate(V1Pod pod, string container, bool previous)
    {
        var podName = pod.Metadata?.Name ?? "";
        var status = Find(pod.Status, container)
            ?? throw ApiErrors.BadRequest($"container \"{container}\" in pod \"{podName}\" is not available");
        var last = status.LastState?.Terminated;
        var state = status.State;
        var restarts = status.RestartCount;
        if (previous)
        {
            return string.IsNullOrEmpty(last?.ContainerID)
                ? throw ApiErrors.BadRequest($"previous terminated container \"{container}\" in pod \"{podName}\" not found")
                : new Choice(last.ContainerID, true, restarts);
        }
        if (state?.Running is not null)
        {
            return new Choice(status.ContainerID ?? "", false, restarts);
        }
        if (state?.Terminated is { } terminated)
        {
            return !string.IsNullOrEmpty(terminated.ContainerID) ? new Choice(terminated.ContainerID, false, restarts)
                : !string.IsNullOrEmpty(last?.ContainerID) ? new Choice(last.ContainerID, true, restarts)
                : throw Terminated(container, podName);
        }
        if (last is not null)
        {
            return string.IsNullOrEmpty(last.ContainerID) ? throw Terminated(container, podName) : new Choice(last.ContainerID, true, restarts);
        }
        if (state?.Waiting is { } waiting)
        {
            throw ApiErrors.BadRequest($"container \"{container}\" in pod \"{podName}\" is waiting to start: {WaitingText(waiting.Reason)}");
        }
        throw ApiErrors.BadRequest($"container \"{container}\" in pod \"{podName}\" is waiting to start - no logs yet");
    }

    private static V1ContainerStatus? Find(V1PodStatus? status, string container) =>
        status?.ContainerStatuses?.FirstOrDefault(s => s.Name == container)
        ?? status?.InitContainerStatuses?.FirstOrDefault(s => s.Name == container)
        ?? status?.EphemeralContainerStatuses?.FirstOrDefault(s => s.Name == container);

    private static ApiException Terminated(string container, string pod) =>
        ApiErrors.BadRequest($"container \"{container}\" in pod \"{pod}\" is terminated");

    private static string WaitingText(string? reason) => reason switch
    {
        "ErrImagePull" => "image can't be pulled",
        "ImagePullBackOff" => "trying and failing to pull image",
        _ => reason ?? "",
    };
}
