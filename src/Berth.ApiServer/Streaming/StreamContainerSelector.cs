using k8s.Models;

namespace Berth.ApiServer.Streaming;

/// <summary>
/// Resolves the <c>container</c> query parameter of pods/log and pods/exec against the pod's spec: empty means the
/// only container; a name must be one of the containers, init containers or ephemeral containers.
/// Mirrors kubernetes/kubernetes pkg/registry/core/pod/strategy.go (LogLocation, validateContainer).
/// </summary>
internal static class StreamContainerSelector
{
    /// <summary>For pods/log: the choices list regular containers, then init containers separately.</summary>
    public static string ForLogs(V1Pod pod, string? container) => Resolve(pod, container, () =>
    {
        var choices = $"[{Join(Regular(pod))}]";
        var init = Join(Init(pod));
        return init.Length == 0 ? choices : $"{choices} or one of the init containers: [{init}]";
    });

    /// <summary>For pods/exec (and attach): the choices list every container of the pod.</summary>
    public static string ForExec(V1Pod pod, string? container) =>
        Resolve(pod, container, () => $"[{Join(Init(pod).Concat(Regular(pod)).Concat(Ephemeral(pod)))}]");

    private static string Resolve(V1Pod pod, string? container, Func<string> choices)
    {
        var name = pod.Metadata?.Name ?? "";
        if (string.IsNullOrEmpty(container))
        {
            var regular = Regular(pod).ToList();
            return regular.Count switch
            {
                1 => regular[0],
                0 => throw StreamingErrors.ContainerNameRequired(name, ""),
                _ => throw StreamingErrors.ContainerNameRequired(name, choices()),
            };
        }
        if (!Regular(pod).Concat(Init(pod)).Concat(Ephemeral(pod)).Contains(container, StringComparer.Ordinal))
        {
            throw StreamingErrors.ContainerNotValid(container, name);
        }
        return container;
    }

    private static IEnumerable<string> Regular(V1Pod pod) => pod.Spec?.Containers?.Select(c => c.Name) ?? [];

    private static IEnumerable<string> Init(V1Pod pod) => pod.Spec?.InitContainers?.Select(c => c.Name) ?? [];

    private static IEnumerable<string> Ephemeral(V1Pod pod) => pod.Spec?.EphemeralContainers?.Select(c => c.Name) ?? [];

    private static string Join(IEnumerable<string> names) => string.Join(' ', names);
}
