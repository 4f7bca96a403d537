namespace Berth.ApiServer.ResourceMetrics;

/// <summary>One container's usage: CPU as a rate in nanocores over the window, memory as the working set in bytes.</summary>
public sealed record ContainerUsage(string Name, long NanoCores, long MemoryBytes);

/// <summary>
/// A pod's usage, one entry per running container. <paramref name="Timestamp"/> is the end of the window over which
/// the CPU rate was measured; <paramref name="Labels"/> are the pod's (label selectors filter on them).
/// </summary>
public sealed record PodUsage(
    string Namespace,
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    DateTimeOffset Timestamp,
    TimeSpan Window,
    IReadOnlyList<ContainerUsage> Containers);

/// <summary>A node's usage: CPU as a rate in nanocores over the window, memory as the working set in bytes.</summary>
public sealed record NodeUsage(string NodeName, DateTimeOffset Timestamp, TimeSpan Window, long NanoCores, long MemoryBytes);
