using System.Reflection;
using k8s.Models;

namespace Berth.Machinery.Kinds;

/// <summary>
/// Finds the KubernetesClient model of a group/version/kind by the names KubernetesClient gives its models
/// (<c>V1Pod</c>, <c>V1beta1CSIStorageCapacity</c>, <c>Corev1Event</c>, <c>Eventsv1Event</c>), checked against the
/// model's <see cref="KubernetesEntityAttribute"/>. Never scans the assembly's types. Stateless, thread-safe.
/// </summary>
public static class KindModels
{
    /// <summary>The model of <paramref name="kind"/>, or null when KubernetesClient has none under its naming.</summary>
    public static Type? ModelType(ResourceKind kind) => FindByName((kind.Group, kind.Version, kind.Kind));

    /// <summary>The model found under KubernetesClient's naming alone; null when none matches.</summary>
    public static Type? FindByName((string Group, string Version, string Kind) gvk)
    {
        if (gvk.Version.Length == 0 || gvk.Kind.Length == 0)
        {
            return null;
        }
        var assembly = typeof(V1Pod).Assembly;
        var groupPrefix = gvk.Group.Length == 0 ? "core" : gvk.Group.Split('.')[0];
        foreach (var name in new[] { Capitalize(gvk.Version) + gvk.Kind, Capitalize(groupPrefix) + gvk.Version + gvk.Kind })
        {
            if (assembly.GetType("k8s.Models." + name) is { } type && type.GetCustomAttribute<KubernetesEntityAttribute>() is { } entity &&
                (entity.Group ?? "") == gvk.Group && (entity.ApiVersion ?? "") == gvk.Version && (entity.Kind ?? "") == gvk.Kind)
            {
                return type;
            }
        }
        return null;
    }

    private static string Capitalize(string value) => value.Length == 0 ? value : char.ToUpperInvariant(value[0]) + value[1..];
}
