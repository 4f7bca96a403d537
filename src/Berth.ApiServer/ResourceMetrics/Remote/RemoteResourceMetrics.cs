using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Berth.ApiServer.Streaming.Remote;

namespace Berth.ApiServer.ResourceMetrics.Remote;

/// <summary>
/// Reads the resource metrics a standalone <c>berth agent</c> serves for its own node (the same
/// <c>metrics.k8s.io/v1beta1</c> routes, on its kubelet endpoint), as metrics-server scrapes each kubelet. The agent
/// is trusted by its pinned certificate and authenticated to with the cluster's bearer token.
/// </summary>
/// <remarks>
/// Mirrors kubernetes-sigs/metrics-server pkg/scraper/client (one request per node, a per-node timeout). Thread-safe;
/// one HTTP client per endpoint and pin is cached, so a re-registered agent with a new certificate gets a new client.
/// </remarks>
public sealed class RemoteResourceMetrics(string token) : IDisposable
{
    /// <summary>How long one agent may take to answer before its node is left out of a list.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private const string Root = "apis/" + MetricsKinds.ApiVersion + "/";
    private readonly ConcurrentDictionary<KubeletEndpoint, HttpClient> _clients = new();

    /// <summary>The agent's pods and its node; throws on an unreachable agent, an error reply or the timeout.</summary>
    public async Task<(IReadOnlyList<PodUsage> Pods, IReadOnlyList<NodeUsage> Nodes)> ScrapeAsync(KubeletEndpoint endpoint,
        CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var client = _clients.GetOrAdd(endpoint, e => e.CreateClient(token));
        var pods = await GetItemsAsync(client, "pods", timeout.Token).ConfigureAwait(false);
        var nodes = await GetItemsAsync(client, "nodes", timeout.Token).ConfigureAwait(false);
        return ([.. pods.Select(MetricsObjectReader.Pod).OfType<PodUsage>()], [.. nodes.Select(MetricsObjectReader.Node).OfType<NodeUsage>()]);
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }

    private static async Task<IEnumerable<JsonObject>> GetItemsAsync(HttpClient client, string resource, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(Root + resource, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return JsonNode.Parse(body)?["items"]?.AsArray().OfType<JsonObject>() ?? [];
    }

}
