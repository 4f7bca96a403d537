using Berth.Machinery.Selectors;

namespace Berth.Controllers.PodAutoscaler;

/// <summary>
/// Where the HPA controller reads pod usage: the same figures <c>kubectl top pod</c> shows (the resource metrics API).
/// Implementations are thread-safe; a pod without metrics (not running, or no rate yet) is simply absent.
/// </summary>
/// <remarks>Mirrors the resource half of kubernetes/kubernetes pkg/controller/podautoscaler/metrics (MetricsClient.GetResourceMetric).</remarks>
public interface IPodMetricsSource
{
    /// <summary>The usage of the pods of <paramref name="ns"/> whose labels match <paramref name="selector"/>.</summary>
    Task<IReadOnlyList<PodMetricsSample>> ListAsync(string ns, LabelSelector selector, CancellationToken cancellationToken);
}

/// <summary>One container's usage: CPU in millicores (a rate over the window), memory working set in bytes.</summary>
public sealed record ContainerMetricsSample(string Name, long MilliCpu, long MemoryBytes);

/// <summary>One pod's usage; <paramref name="Timestamp"/> is the end of the window over which the CPU rate was measured.</summary>
public sealed record PodMetricsSample(string Name, DateTimeOffset Timestamp, TimeSpan Window, IReadOnlyList<ContainerMetricsSample> Containers);
