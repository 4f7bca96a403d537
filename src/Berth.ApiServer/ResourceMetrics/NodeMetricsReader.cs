using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Selectors;
using Berth.Machinery.Serialization;
using Berth.Registry;

namespace Berth.ApiServer.ResourceMetrics;

/// <summary>
/// Reads <c>NodeMetrics</c>: the provider's figures for each Node object that exists, with that node's labels (label
/// selectors filter on them; the only field is <c>metadata.name</c>). Thread-safe; holds no state of its own.
/// </summary>
/// <remarks>Mirrors kubernetes-sigs/metrics-server pkg/api/node.go (nodeMetrics.List and Get).</remarks>
internal sealed class NodeMetricsReader(IResourceMetricsProvider? provider, IApiClient api)
{
    public async Task<JsonObject> ListAsync((LabelSelector Labels, FieldSelector Fields) selectors, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        selectors.Fields.EnsureSupported(f => f == "metadata.name");
        var usage = (await UsageAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(n => n.NodeName, StringComparer.Ordinal);
        var nodes = await api.ListAsync(KindRegistry.Nodes, null, cancellationToken: cancellationToken).ConfigureAwait(false);
        var items = new List<JsonObject>();
        foreach (var node in nodes.Items.OrderBy(n => n.GetName(), StringComparer.Ordinal))
        {
            var labels = LabelSelector.LabelsOf(node);
            if (usage.TryGetValue(node.GetName() ?? "", out var figures) && selectors.Labels.Matches(labels)
                && selectors.Fields.Matches(_ => figures.NodeName))
            {
                items.Add(MetricsObjects.Node(figures, labels, now));
            }
        }
        return MetricsObjects.List("NodeMetricsList", items);
    }

    /// <summary>404 <c>nodemetrics.metrics.k8s.io "x" not found</c> when the node does not exist or has no figures.</summary>
    public async Task<JsonObject> GetAsync(string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var figures = (await UsageAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(n => n.NodeName == name)
            ?? throw NotFound(name);
        JsonObject node;
        try
        {
            node = await api.GetAsync(KindRegistry.Nodes, null, name, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            throw NotFound(name);
        }
        return MetricsObjects.Node(figures, LabelSelector.LabelsOf(node), now);
    }

    private async Task<IReadOnlyList<NodeUsage>> UsageAsync(CancellationToken cancellationToken) =>
        provider is null ? [] : await provider.ListNodeUsageAsync(cancellationToken).ConfigureAwait(false);

    private static ApiException NotFound(string name) => ApiErrors.NotFound("nodemetrics." + MetricsKinds.Group, name);
}
