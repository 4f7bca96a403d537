using Berth.ApiServer.Streaming.Remote;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Microsoft.Extensions.Logging;

namespace Berth.ApiServer.ResourceMetrics.Remote;

/// <summary>
/// The API server's <see cref="IResourceMetricsProvider"/> when pods may run on several nodes: the server's own node
/// from the in-process kubelet's provider, every node that publishes a kubelet endpoint (a standalone agent) by
/// scraping it, all at once. A node whose agent fails or times out is left out and logged, as metrics-server does.
/// </summary>
/// <remarks>Mirrors kubernetes-sigs/metrics-server pkg/scraper/scraper.go (Scrape: all nodes concurrently). Thread-safe.</remarks>
public sealed partial class NodeRoutingMetricsProvider(string localNode, IResourceMetricsProvider? local, RemoteResourceMetrics remote,
    IApiClient api, ILogger<NodeRoutingMetricsProvider> logger) : IResourceMetricsProvider
{
    public async Task<IReadOnlyList<PodUsage>> ListPodUsageAsync(CancellationToken cancellationToken)
    {
        var scrapes = await ScrapeAgentsAsync(cancellationToken).ConfigureAwait(false);
        var own = local is null ? [] : await local.ListPodUsageAsync(cancellationToken).ConfigureAwait(false);
        return [.. own, .. scrapes.SelectMany(s => s.Pods)];
    }

    public async Task<IReadOnlyList<NodeUsage>> ListNodeUsageAsync(CancellationToken cancellationToken)
    {
        var scrapes = await ScrapeAgentsAsync(cancellationToken).ConfigureAwait(false);
        var own = local is null ? [] : await local.ListNodeUsageAsync(cancellationToken).ConfigureAwait(false);
        return [.. own, .. scrapes.SelectMany(s => s.Nodes)];
    }

    private async Task<(IReadOnlyList<PodUsage> Pods, IReadOnlyList<NodeUsage> Nodes)[]> ScrapeAgentsAsync(CancellationToken cancellationToken)
    {
        var nodes = await api.ListAsync(KindRegistry.Nodes, null, cancellationToken: cancellationToken).ConfigureAwait(false);
        var agents = nodes.Items
            .Where(n => !string.Equals(n.GetName(), localNode, StringComparison.Ordinal))
            .Select(n => (Name: n.GetName() ?? "", Endpoint: KubeletEndpoint.FromNode(n)))
            .Where(a => a.Endpoint is not null);
        return await Task.WhenAll(agents.Select(a => ScrapeAsync(a.Name, a.Endpoint!, cancellationToken))).ConfigureAwait(false);
    }

    private async Task<(IReadOnlyList<PodUsage> Pods, IReadOnlyList<NodeUsage> Nodes)> ScrapeAsync(string node, KubeletEndpoint endpoint,
        CancellationToken cancellationToken)
    {
        try
        {
            return await remote.ScrapeAsync(endpoint, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException
            && !cancellationToken.IsCancellationRequested)
        {
            Log.ScrapeFailed(logger, node, e.Message);
            return ([], []);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2450, Level = LogLevel.Warning, Message = "Resource metrics of node {Node} left out: {Error}")]
        public static partial void ScrapeFailed(ILogger logger, string node, string error);
    }
}
