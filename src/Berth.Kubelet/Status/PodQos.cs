using Berth.Kubelet.Container;
using k8s.Models;

namespace Berth.Kubelet.Status;

/// <summary>
/// The pod's QoS class from its containers' cpu/memory requests and limits: BestEffort without any, Guaranteed when
/// every container limits both and requests equal limits (requests default to limits), else Burstable.
/// Mirrors kubernetes/kubernetes pkg/apis/core/v1/helper/qos/qos.go (GetPodQOS, pod-level resources ignored).
/// </summary>
public static class PodQos
{
    private static readonly string[] Supported = ["cpu", "memory"];

    public static string GetPodQos(V1Pod pod)
    {
        var containers = PodSpecs.InitContainers(pod).Concat(PodSpecs.Containers(pod)).ToList();
        var anySet = false;
        var guaranteed = containers.Count > 0;
        foreach (var container in containers)
        {
            var requests = NonZero(container.Resources?.Requests);
            var limits = NonZero(container.Resources?.Limits);
            anySet |= requests.Count > 0 || limits.Count > 0;
            if (Supported.Any(r => !limits.ContainsKey(r)))
            {
                guaranteed = false;
                continue;
            }

            foreach (var (name, request) in requests)
            {
                guaranteed &= limits.TryGetValue(name, out var limit) && limit == request;
            }
        }

        if (!anySet)
        {
            return "BestEffort";
        }

        return guaranteed ? "Guaranteed" : "Burstable";
    }

    private static Dictionary<string, decimal> NonZero(IDictionary<string, ResourceQuantity>? list) =>
        (list ?? new Dictionary<string, ResourceQuantity>())
            .Where(p => Supported.Contains(p.Key) && p.Value.ToDecimal() != 0)
            .ToDictionary(p => p.Key, p => p.Value.ToDecimal());
}
