namespace Berth.Kubelet.Volumes;

/// <summary>Settings of <see cref="VolumeManager"/>. Read once at construction.</summary>
public sealed class VolumeManagerOptions
{
    /// <summary>
    /// The kubelet pods directory (<c>&lt;root-dir&gt;/pods</c>); a pod's volumes live in
    /// <c>&lt;PodsDirectory&gt;/&lt;podUid&gt;/volumes/&lt;plugin&gt;/&lt;volume&gt;</c>, as upstream's
    /// <c>/var/lib/kubelet/pods/&lt;uid&gt;/volumes/kubernetes.io~configmap/&lt;name&gt;</c>.
    /// </summary>
    public required string PodsDirectory { get; init; }

    /// <summary>CPU cores a <c>resourceFieldRef</c> to <c>limits.cpu</c> reports when the container sets no limit (node allocatable).</summary>
    public decimal NodeAllocatableCpu { get; init; } = Environment.ProcessorCount;

    /// <summary>Memory bytes a <c>resourceFieldRef</c> to <c>limits.memory</c> reports when the container sets no limit.</summary>
    public long NodeAllocatableMemory { get; init; } = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>Bytes a <c>resourceFieldRef</c> to <c>limits.ephemeral-storage</c> reports when the container sets no limit.</summary>
    public long NodeAllocatableEphemeralStorage { get; init; }
}
