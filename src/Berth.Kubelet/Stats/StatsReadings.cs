namespace Berth.Kubelet.Stats;

/// <summary>One reading of a container: cumulative CPU time since it started, and its memory working set now.</summary>
public readonly record struct ContainerReading(long CpuNanos, long MemoryBytes);

/// <summary>One reading of the node: cumulative busy CPU time of all cores since boot, and memory in use now.</summary>
public readonly record struct NodeReading(long CpuNanos, long MemoryBytes);

/// <summary>
/// Reads the kernel's counters for the resource analyzer. Implementations are thread-safe and never throw for a
/// process that has gone (they return null).
/// </summary>
public interface IStatsSource
{
    /// <summary>The container's counters, from its cgroup when it has one of its own, else from its main process.</summary>
    ContainerReading? ReadContainer(Runtime.ContainerStatus container);

    NodeReading? ReadNode();
}
