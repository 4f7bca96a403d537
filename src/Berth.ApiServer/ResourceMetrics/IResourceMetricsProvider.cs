namespace Berth.ApiServer.ResourceMetrics;

/// <summary>
/// Where the resource metrics API gets its figures: in <c>berth server</c>, the in-process kubelet's resource analyzer
/// (the part of the kubelet that metrics-server scrapes through <c>/metrics/resource</c> upstream).
/// </summary>
/// <remarks>
/// Called once per API request, concurrently; implementations are thread-safe and read the host's counters at call
/// time, so each call costs a few file reads per running container. A pod or node appears only once a CPU rate can
/// be computed for it (a first sample has been taken at least a second earlier), as with metrics-server.
/// </remarks>
public interface IResourceMetricsProvider
{
    /// <summary>Usage of every pod with at least one running container that has a rate, on the nodes this provider serves.</summary>
    IReadOnlyList<PodUsage> ListPodUsage();

    /// <summary>Usage of the nodes this provider serves (one for the in-process kubelet).</summary>
    IReadOnlyList<NodeUsage> ListNodeUsage();
}
