using Berth.ApiServer.ResourceMetrics;
using Berth.Controllers.PodAutoscaler;
using Berth.Machinery.Selectors;

namespace Berth.Server.Hosting.Controllers;

/// <summary>
/// The HPA's pod metrics from the provider behind <c>metrics.k8s.io</c> (what <c>kubectl top pod</c> shows): one
/// namespace, filtered by labels; CPU converted from nanocores to millicores. No provider (no kubelet in this process)
/// reads as no metrics. Thread-safe; holds no state.
/// </summary>
internal sealed class ResourceMetricsPodSource(IResourceMetricsProvider? provider) : IPodMetricsSource
{
    public async Task<IReadOnlyList<PodMetricsSample>> ListAsync(string ns, LabelSelector selector, CancellationToken cancellationToken)
    {
        if (provider is null)
        {
            return [];
        }
        var usage = await provider.ListPodUsageAsync(cancellationToken).ConfigureAwait(false);
        return [.. usage.Where(p => p.Namespace == ns && selector.Matches(p.Labels))
            .Select(p => new PodMetricsSample(p.Name, p.Timestamp, p.Window,
                [.. p.Containers.Select(c => new ContainerMetricsSample(c.Name, c.NanoCores / 1_000_000, c.MemoryBytes))]))];
    }
}
