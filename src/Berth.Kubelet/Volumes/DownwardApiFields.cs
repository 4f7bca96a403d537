using System.Globalization;
using System.Text;
using k8s.Models;

namespace Berth.Kubelet.Volumes;

/// <summary>
/// Values of downward API volume items: <c>fieldRef</c> (metadata.name, namespace, uid, labels, annotations, and
/// <c>labels['k']</c> / <c>annotations['k']</c>) and <c>resourceFieldRef</c> (limits/requests of cpu, memory,
/// ephemeral-storage; an unset limit reports node allocatable). Pure functions; errors are
/// <see cref="ArgumentException"/>s with upstream's messages.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/fieldpath/fieldpath.go (ExtractFieldPathAsString, FormatMap) and
/// pkg/api/v1/resource/helpers.go (ExtractContainerResourceValue).
/// </remarks>
internal static class DownwardApiFields
{
    public static string ExtractFieldPath(V1Pod pod, string fieldPath)
    {
        var meta = pod.Metadata ?? new V1ObjectMeta();
        if (SplitSubscript(fieldPath) is var (path, key))
        {
            return path switch
            {
                "metadata.annotations" => Lookup(meta.Annotations, key),
                "metadata.labels" => Lookup(meta.Labels, key),
                _ => throw new ArgumentException($"fieldPath \"{fieldPath}\" does not support subscript"),
            };
        }
        return fieldPath switch
        {
            "metadata.annotations" => FormatMap(meta.Annotations),
            "metadata.labels" => FormatMap(meta.Labels),
            "metadata.name" => meta.Name ?? "",
            "metadata.namespace" => meta.NamespaceProperty ?? "",
            "metadata.uid" => meta.Uid ?? "",
            _ => throw new ArgumentException($"unsupported fieldPath: {fieldPath}"),
        };
    }

    /// <summary><c>k="v"</c> lines sorted by key, values quoted as Go's %q, no trailing newline.</summary>
    public static string FormatMap(IDictionary<string, string>? map)
    {
        if (map is null || map.Count == 0)
        {
            return "";
        }
        var builder = new StringBuilder();
        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            builder.Append(key).Append('=').Append(Berth.Machinery.Errors.GoQuote.Quote(value)).Append('\n');
        }
        return builder.ToString(0, builder.Length - 1);
    }

    public static string ExtractResource(V1Pod pod, V1ResourceFieldSelector selector, VolumeManagerOptions options)
    {
        var container = (pod.Spec?.Containers ?? []).Concat(pod.Spec?.InitContainers ?? [])
            .FirstOrDefault(c => c.Name == selector.ContainerName)
            ?? throw new ArgumentException($"container {selector.ContainerName} not found");
        var divisor = selector.Divisor?.ToDecimal() is { } d && d != 0 ? d : 1m;
        var (kind, resource) = SplitResource(selector.Resource);
        var quantity = kind switch
        {
            "limits" => Quantity(container.Resources?.Limits, resource) ?? NodeAllocatable(resource, options),
            "requests" => Quantity(container.Resources?.Requests, resource) ?? 0m,
            _ => throw new ArgumentException($"unsupported container resource : {selector.Resource}"),
        };
        var value = resource == "cpu"
            ? Math.Ceiling(MilliValue(quantity) / MilliValue(divisor))
            : Math.Ceiling(Math.Ceiling(quantity) / Math.Ceiling(divisor));
        return ((long)value).ToString(CultureInfo.InvariantCulture);
    }

    private static (string Kind, string Resource) SplitResource(string resource)
    {
        var dot = resource.IndexOf('.', StringComparison.Ordinal);
        var (kind, name) = dot < 0 ? (resource, "") : (resource[..dot], resource[(dot + 1)..]);
        return name is "cpu" or "memory" or "ephemeral-storage"
            ? (kind, name)
            : throw new ArgumentException($"unsupported container resource : {resource}");
    }

    private static decimal NodeAllocatable(string resource, VolumeManagerOptions options) => resource switch
    {
        "cpu" => options.NodeAllocatableCpu,
        "memory" => options.NodeAllocatableMemory,
        _ => options.NodeAllocatableEphemeralStorage,
    };

    private static decimal? Quantity(IDictionary<string, ResourceQuantity>? map, string resource) =>
        map is not null && map.TryGetValue(resource, out var quantity) && quantity is not null ? quantity.ToDecimal() : null;

    private static decimal MilliValue(decimal value) => Math.Ceiling(value * 1000m);

    private static string Lookup(IDictionary<string, string>? map, string key) =>
        map is not null && map.TryGetValue(key, out var value) ? value : "";

    /// <summary><c>metadata.labels['k']</c> → (<c>metadata.labels</c>, <c>k</c>); null for an unsubscripted path.</summary>
    private static (string Path, string Key)? SplitSubscript(string fieldPath)
    {
        if (!fieldPath.EndsWith("']", StringComparison.Ordinal))
        {
            return null;
        }
        var open = fieldPath.IndexOf("['", StringComparison.Ordinal);
        return open < 0 ? null : (fieldPath[..open], fieldPath[(open + 2)..^2]);
    }
}
