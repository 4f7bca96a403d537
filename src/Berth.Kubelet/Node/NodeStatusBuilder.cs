using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Kubelet.Node;

/// <summary>
/// Builds the Node this agent registers and the status it keeps posting: default labels, capacity and allocatable
/// (cpu, memory, pods, ephemeral-storage, hugepages per <see cref="MachineInfo.HugePagePools"/>), conditions, addresses, daemon endpoints, node info and
/// runtime handlers. No <c>images</c> (the process runtime pulls and stores none), <c>features</c> or <c>config</c>.
/// Allocatable holds back upstream's default hard eviction thresholds (memory.available&lt;100Mi,
/// nodefs.available&lt;10%) and the memory in huge pages; nothing is reserved for system daemons. Pure; thread-safe.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/kubelet/kubelet_node_status.go (initialNode) and
/// pkg/kubelet/nodestatus/setters.go (NodeAddress, MachineInfo, VersionInfo, DaemonEndpoints).
/// </remarks>
public sealed class NodeStatusBuilder(NodeRegistrationOptions options, MachineInfo machine)
{
    /// <summary>Upstream's annotation saying volume attach/detach is left to the controller, not the kubelet.</summary>
    public const string ControllerManagedAttachDetachAnnotation = "volumes.kubernetes.io/controller-managed-attach-detach";

    public string Hostname => options.Hostname ?? options.NodeName;

    /// <summary>The labels the kubelet owns: hostname, os and arch (stable and beta keys).</summary>
    public IReadOnlyDictionary<string, string> DefaultLabels() => new Dictionary<string, string>
    {
        ["beta.kubernetes.io/arch"] = machine.Architecture,
        ["beta.kubernetes.io/os"] = "linux",
        ["kubernetes.io/arch"] = machine.Architecture,
        ["kubernetes.io/hostname"] = Hostname,
        ["kubernetes.io/os"] = "linux",
    };

    /// <summary>The Node to create: metadata, spec (podCIDR when configured) and a full status.</summary>
    public JsonObject InitialNode(DateTimeOffset now, ICollection<string> events)
    {
        var labels = new JsonObject();
        foreach (var (key, value) in options.Labels.Concat(DefaultLabels()).GroupBy(p => p.Key).Select(g => g.Last()).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            labels[key] = value;
        }
        var spec = new JsonObject();
        if (options.PodCidr is { } cidr)
        {
            spec["podCIDR"] = cidr;
            spec["podCIDRs"] = new JsonArray(cidr);
        }
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = Metadata(labels),
            ["spec"] = spec,
            ["status"] = Status(null, now, null, events),
        };
    }

    private JsonObject Metadata(JsonObject labels) => new()
    {
        ["name"] = options.NodeName,
        ["labels"] = labels,
        ["annotations"] = new JsonObject(OwnedAnnotations().OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))),
    };

    /// <summary>
    /// The annotations the agent owns: <see cref="ControllerManagedAttachDetachAnnotation"/> (a kubelet with its
    /// default <c>enableControllerAttachDetach: true</c> sets it) and <see cref="NodeRegistrationOptions.Annotations"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string> OwnedAnnotations() =>
        new Dictionary<string, string>(options.Annotations) { [ControllerManagedAttachDetachAnnotation] = "true" };

    /// <summary>The status to post, given the node's current conditions.</summary>
    public JsonObject Status(JsonArray? currentConditions, DateTimeOffset now, string? notReadyMessage, ICollection<string> events) => new()
    {
        ["capacity"] = Resources(allocatable: false),
        ["allocatable"] = Resources(allocatable: true),
        ["conditions"] = NodeConditionSetter.SetConditions(currentConditions, now, notReadyMessage, events),
        ["addresses"] = new JsonArray(
            new JsonObject { ["type"] = "InternalIP", ["address"] = options.InternalIP },
            new JsonObject { ["type"] = "Hostname", ["address"] = Hostname }),
        ["daemonEndpoints"] = new JsonObject { ["kubeletEndpoint"] = new JsonObject { ["Port"] = options.KubeletPort } },
        ["nodeInfo"] = new JsonObject
        {
            ["machineID"] = machine.MachineId,
            ["systemUUID"] = machine.SystemUuid,
            ["bootID"] = machine.BootId,
            ["kernelVersion"] = machine.KernelVersion,
            ["osImage"] = machine.OsImage,
            ["containerRuntimeVersion"] = MachineInfo.ContainerRuntimeVersion,
            ["kubeletVersion"] = MachineInfo.KubeletVersion,
            // Still set in 1.32 (DisableNodeKubeProxyVersion is off by default until 1.33): the kubelet's own version.
            ["kubeProxyVersion"] = MachineInfo.KubeletVersion,
            ["operatingSystem"] = "linux",
            ["architecture"] = machine.Architecture,
        },
        ["runtimeHandlers"] = RuntimeHandlers(),
    };

    // status.runtimeHandlers (RecursiveReadOnlyMounts and UserNamespacesSupport gates): the process runtime has one,
    // unnamed handler, supporting neither recursive read-only mounts nor user namespaces. status.features is not set:
    // its only member needs SupplementalGroupsPolicy, alpha (off) in 1.32.
    private static JsonArray RuntimeHandlers() => new(new JsonObject
    {
        ["name"] = "",
        ["features"] = new JsonObject { ["recursiveReadOnlyMounts"] = false, ["userNamespaces"] = false },
    });

    /// <summary>
    /// True when <paramref name="newStatus"/> differs from <paramref name="oldStatus"/> in anything but condition
    /// heartbeat times (upstream's nodeStatusHasChanged).
    /// </summary>
    public static bool StatusChanged(JsonObject? oldStatus, JsonObject newStatus) =>
        !JsonNode.DeepEquals(WithoutHeartbeats(oldStatus), WithoutHeartbeats(newStatus));

    // Keys in Go's map order (sorted), as upstream serialises a ResourceList. Huge pages are taken out of allocatable
    // memory, as upstream's MachineInfo setter does.
    private JsonObject Resources(bool allocatable)
    {
        var hugePages = machine.HugePagePools.Sum(p => p.TotalBytes);
        var memory = machine.MemoryCapacityBytes - (allocatable ? options.EvictionHardMemoryBytes + hugePages : 0);
        var resources = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["cpu"] = machine.Cores.ToString(CultureInfo.InvariantCulture),
            ["memory"] = NodeFormats.BinaryQuantity(Math.Max(0, memory)),
            ["pods"] = options.MaxPods.ToString(CultureInfo.InvariantCulture),
        };
        if (machine.EphemeralStorageCapacityBytes is { } storage)
        {
            var reserved = allocatable ? (long)(storage * options.EvictionHardNodeFsFraction) : 0;
            resources["ephemeral-storage"] = NodeFormats.BinaryQuantity(storage - reserved);
        }
        foreach (var pool in machine.HugePagePools)
        {
            resources["hugepages-" + NodeFormats.BinaryQuantity(pool.PageSizeBytes)] = NodeFormats.BinaryQuantity(pool.TotalBytes);
        }
        return new JsonObject(resources.Select(r => KeyValuePair.Create(r.Key, (JsonNode?)r.Value)));
    }

    private static JsonObject? WithoutHeartbeats(JsonObject? status)
    {
        if (status is null)
        {
            return null;
        }
        var copy = ApiJson.Clone(status);
        foreach (var condition in copy.GetArray("conditions")?.OfType<JsonObject>() ?? [])
        {
            condition.Remove("lastHeartbeatTime");
        }
        return copy;
    }
}
