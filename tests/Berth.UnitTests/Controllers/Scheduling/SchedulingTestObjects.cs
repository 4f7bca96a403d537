using k8s.Models;

namespace Berth.UnitTests.Controllers.Scheduling;

/// <summary>Typed nodes and pods for the pure scheduling tests.</summary>
internal static class SchedulingTestObjects
{
    public static V1Node Node(string name, string cpu = "4", string memory = "8Gi", string pods = "110",
        IDictionary<string, string>? labels = null, IList<V1Taint>? taints = null, bool unschedulable = false,
        IDictionary<string, string>? extra = null)
    {
        var allocatable = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new(memory), ["pods"] = new(pods) };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            allocatable[key] = new ResourceQuantity(value);
        }
        return new V1Node
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = labels ?? new Dictionary<string, string> { ["kubernetes.io/hostname"] = name } },
            Spec = new V1NodeSpec { Taints = taints, Unschedulable = unschedulable },
            Status = new V1NodeStatus { Allocatable = allocatable, Capacity = allocatable },
        };
    }

    public static V1Pod Pod(string name = "p", string? cpu = null, string? memory = null, string? node = null)
    {
        var requests = new Dictionary<string, ResourceQuantity>();
        if (cpu is not null)
        {
            requests["cpu"] = new ResourceQuantity(cpu);
        }
        if (memory is not null)
        {
            requests["memory"] = new ResourceQuantity(memory);
        }
        return new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = name + "-uid" },
            Spec = new V1PodSpec
            {
                NodeName = node,
                Containers = [new V1Container { Name = "c", Image = "busybox", Resources = new V1ResourceRequirements { Requests = requests } }],
            },
        };
    }

    public static V1Taint Taint(string key, string value, string effect) => new() { Key = key, Value = value, Effect = effect };
}
