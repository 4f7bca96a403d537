namespace Berth.ApiServer.ResourceMetrics;

/// <summary>
/// Where the resource metrics API gets its figures: in <c>berth server</c>, the in-process kubelet's resource analyzer
/// (the part of the kubelet that metrics-server scrapes through <c>/metrics/resource</c> upstream).
/// </summary>
/// <remarks>
/// Called once per API request, concurrently; implementations are thread-safe. The kubelet's reads the host's counters
/// at call time (a few file reads per running container); a provider for other nodes asks their agents, and leaves out
/// a node whose agent does not answer, as metrics-server leaves out a node it cannot scrape. A pod or node appears only
/// once a CPU rate can be computed for it (a first sample was taken at least a second earlier).
/// </remarks>
public interface IResourceMetricsProvider
{
    /// <summary>Usage of every pod with at least one running container that has a rate, on the nodes this provider serves.</summary>
    Task<IReadOnlyList<PodUsage>> ListPodUsageAsync(CancellationToken cancellationToken);

    /// <summary>Usage of the nodes this provider serves (one for the in-process kubelet).</summary>
    Task<IReadOnlyList<NodeUsage>> ListNodeUsageAsync(CancellationToken cancellationToken);
}
