using System.Globalization;
using k8s.Models;

namespace Berth.Kubelet.KubeRuntime.Env;

/// <summary>
/// Values of <c>resourceFieldRef</c>s: limits/requests of cpu, memory and ephemeral-storage of the named (or the
/// current) container, divided by the divisor (default 1) and rounded up; cpu in millicores over the divisor's
/// millicores. An unset limit is the node's allocatable amount. Mirrors kubernetes/kubernetes
/// pkg/api/v1/resource/helpers.go (ExtractContainerResourceValue) and kubelet_pods.go (containerResourceRuntimeValue).
/// </summary>
public static class ResourceFieldResolver
{
    public static string Resolve(V1ResourceFieldSelector selector, V1Pod pod, V1Container current, NodeAllocatable node)
    {
        var container = string.IsNullOrEmpty(selector.ContainerName)
            ? current
            : (pod.Spec?.Containers ?? []).Concat(pod.Spec?.InitContainers ?? []).FirstOrDefault(c => c.Name == selector.ContainerName)
              ?? throw new ContainerConfigException($"container {selector.ContainerName} not found");
        var divisor = selector.Divisor?.ToDecimal() is { } d and not 0 ? d : 1m;
        var parts = (selector.Resource ?? "").Split('.', 2);
        if (parts.Length != 2 || parts[0] is not ("limits" or "requests"))
        {
            throw new ContainerConfigException($"unsupported container resource : {selector.Resource}");
        }

        var amount = Amount(container, parts[0], parts[1], node);
        var value = parts[1] == "cpu" ? Math.Ceiling(amount * 1000m / (divisor * 1000m)) : Math.Ceiling(amount / divisor);
        return value.ToString("0", CultureInfo.InvariantCulture);
    }

    private static decimal Amount(V1Container container, string kind, string resource, NodeAllocatable node)
    {
        var list = kind == "limits" ? container.Resources?.Limits : container.Resources?.Requests;
        if (list is not null && list.TryGetValue(resource, out var quantity))
        {
            return quantity.ToDecimal();
        }

        if (kind == "requests")
        {
            return 0;
        }

        return resource switch
        {
            "cpu" => (decimal)node.Cpu,
            "memory" => node.Memory,
            "ephemeral-storage" => node.EphemeralStorage,
            _ => throw new ContainerConfigException($"unsupported container resource : {kind}.{resource}"),
        };
    }
}
