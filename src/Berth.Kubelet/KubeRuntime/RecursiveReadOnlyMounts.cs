using k8s.Models;

namespace Berth.Kubelet.KubeRuntime;

/// <summary>
/// Resolves <c>volumeMounts[].recursiveReadOnly</c> for the process runtime, which supports no recursive read-only
/// mounts (its node reports <c>runtimeHandlers[].features.recursiveReadOnlyMounts: false</c>): unset, <c>Disabled</c>
/// and <c>IfPossible</c> resolve to a plain read-only mount; <c>Enabled</c> cannot be honoured, so the container is
/// refused (CreateContainerConfigError) with upstream's message. A mount that asks for it without being read-only, or
/// with a propagation other than None, is refused as upstream refuses it. Pure.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/kubelet/kubelet_pods.go (makeMounts, resolveRecursiveReadOnly) with supportsRRO false.</remarks>
internal static class RecursiveReadOnlyMounts
{
    /// <summary>Null when every mount of <paramref name="container"/> resolves; else why the container cannot start.</summary>
    public static string? Refusal(V1Container container)
    {
        foreach (var mount in container.VolumeMounts ?? [])
        {
            if (Resolve(mount) is { } error)
            {
                return "failed to resolve recursive read-only mode: " + error;
            }
        }

        return null;
    }

    private static string? Resolve(V1VolumeMount mount)
    {
        var mode = mount.RecursiveReadOnly;
        if (string.IsNullOrEmpty(mode) || mode == "Disabled")
        {
            return null;
        }

        if (mount.ReadOnlyProperty != true)
        {
            return $"volume \"{mount.Name}\" requested recursive read-only mode, but it is not read-only";
        }

        if (mount.MountPropagation is { Length: > 0 } propagation && propagation != "None")
        {
            return $"volume \"{mount.Name}\" requested recursive read-only mode, but it is not compatible with propagation \"{propagation}\"";
        }

        return mode switch
        {
            "IfPossible" => null,
            "Enabled" => $"volume \"{mount.Name}\" requested recursive read-only mode, but it is not supported by the runtime",
            _ => $"unknown recursive read-only mode \"{mode}\"",
        };
    }
}
