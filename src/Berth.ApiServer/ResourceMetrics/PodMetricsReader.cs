using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Selectors;

namespace Berth.ApiServer.ResourceMetrics;

/// <summary>
/// Reads <c>PodMetrics</c> from the provider: one namespace or all, filtered by labels and by the fields
/// <c>metadata.name</c> and <c>metadata.namespace</c> (others are 400). Thread-safe; holds no state of its own.
/// </summary>
/// <remarks>Mirrors kubernetes-sigs/metrics-server pkg/api/pod.go (podMetrics.List and Get).</remarks>
internal sealed class PodMetricsReader(IResourceMetricsProvider? provider)
{
    public async Task<JsonObject> ListAsync(string? ns, (LabelSelector Labels, FieldSelector Fields) selectors, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        selectors.Fields.EnsureSupported(f => f is "metadata.name" or "metadata.namespace");
        var items = (await UsageAsync(cancellationToken).ConfigureAwait(false))
            .Where(p => ns is null || p.Namespace == ns)
            .Where(p => selectors.Labels.Matches(p.Labels))
            .Where(p => selectors.Fields.Matches(f => f == "metadata.name" ? p.Name : p.Namespace))
            .OrderBy(p => p.Namespace, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => MetricsObjects.Pod(p, now));
        return MetricsObjects.List("PodMetricsList", items);
    }

    /// <summary>404 <c>podmetrics.metrics.k8s.io "x" not found</c> when the pod has no metrics (absent, not running yet, or no rate yet).</summary>
    public async Task<JsonObject> GetAsync(string ns, string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var usage = (await UsageAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(p => p.Namespace == ns && p.Name == name)
            ?? throw ApiErrors.NotFound("podmetrics." + MetricsKinds.Group, name);
        return MetricsObjects.Pod(usage, now);
    }

    private async Task<IReadOnlyList<PodUsage>> UsageAsync(CancellationToken cancellationToken) =>
        provider is null ? [] : await provider.ListPodUsageAsync(cancellationToken).ConfigureAwait(false);
}
