using Berth.Client.Events;
using Berth.Kubelet.Container;
using k8s.Models;

namespace Berth.Kubelet.Events;

/// <summary>
/// Records events about a pod or one of its containers with the reference upstream uses (kind Pod, the container as
/// <c>spec.containers{name}</c>). Messages go to users: never pass env values or hook output.
/// Mirrors kubernetes/kubernetes pkg/kubelet/container/ref.go (GenerateContainerRef) and recordContainerEvent.
/// </summary>
public static class PodEvents
{
    public static ObjectReference Reference(V1Pod pod, string? fieldPath = null) => new(
        "Pod",
        pod.Metadata?.NamespaceProperty ?? "",
        pod.Metadata?.Name ?? "",
        pod.Metadata?.Uid ?? "",
        "v1",
        pod.Metadata?.ResourceVersion ?? "",
        fieldPath ?? "");

    /// <summary>An event on the pod itself.</summary>
    public static void PodEvent(this IEventRecorder recorder, V1Pod pod, string type, string reason, string message) =>
        recorder.Event(Reference(pod), type, reason, message);

    /// <summary>An event on one container of the pod (falls back to the pod when the spec has no such container).</summary>
    public static void ContainerEvent(this IEventRecorder recorder, V1Pod pod, string containerName, string type,
        string reason, string message) =>
        recorder.Event(Reference(pod, PodFormat.FieldPath(pod, containerName)), type, reason, message);
}
