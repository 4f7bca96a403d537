using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Machinery.Selectors;
using Berth.Machinery.Serialization;
using k8s.Models;

namespace Berth.Controllers.PodAutoscaler;

public sealed partial class HorizontalController
{
    /// <summary>What the metrics propose: the largest replica count any valid metric gives (-1 when none may be used,
    /// with <paramref name="Error"/>), the metric that gave it, and one status entry per metric spec.</summary>
    private sealed record MetricsOutcome(int Replicas, string Metric, JsonArray Statuses, string? Error);

    /// <summary>
    /// computeReplicasForMetrics: each metric's proposal; the largest wins. When every metric failed, or some failed and
    /// the rest would scale down, the first failure's condition is set and -1 returned; otherwise ScalingActive is True.
    /// </summary>
    private async Task<MetricsOutcome> ComputeReplicasForMetricsAsync(JsonObject hpa, JsonObject spec, JsonObject scale, int current,
        JsonObject status, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var specs = spec.GetArray("metrics")?.OfType<JsonObject>().ToList() ?? [];
        var statuses = new JsonArray();
        if (scale.GetString("status", "selector") is not { Length: > 0 } selectorText)
        {
            _recorder.Event(hpa, EventTypes.Warning, "SelectorRequired", "selector is required");
            HpaConditions.Set(status, HpaConditions.ScalingActive, false, "InvalidSelector", "the HPA target's scale is missing a selector", now);
            return new MetricsOutcome(-1, "", statuses, "selector is required");
        }
        var selector = LabelSelector.Parse(selectorText);
        var pods = _pods.Lister.List(hpa.GetNamespace()).Where(selector.MatchesObject).ToList();
        IReadOnlyList<PodMetricsSample>? samples = null;
        var (replicas, metric, invalid) = (0, "", 0);
        (string Reason, string Error)? firstFailure = null;
        foreach (var metricSpec in specs)
        {
            var entry = new JsonObject { ["type"] = "" };
            statuses.Add(entry);
            try
            {
                var query = QueryOf(metricSpec) ?? throw Unsupported(metricSpec);
                samples ??= await _metrics.ListAsync(hpa.GetNamespace() ?? "", selector, cancellationToken).ConfigureAwait(false);
                var proposal = ComputeResource(query, pods, samples, current, now, metricSpec, entry, out var name);
                if (replicas == 0 || proposal > replicas)
                {
                    (replicas, metric) = (proposal, name);
                }
            }
            catch (MetricUnavailableException e)
            {
                invalid++;
                if (firstFailure is null)
                {
                    var reason = FailureReason(metricSpec.GetString("type"));
                    _recorder.Event(hpa, EventTypes.Warning, reason, e.Message);
                    firstFailure = (reason, e.Message);
                }
            }
        }
        if (invalid >= specs.Count || (invalid > 0 && replicas < current))
        {
            var (reason, error) = firstFailure ?? ("FailedGetResourceMetric", "no metrics");
            HpaConditions.Set(status, HpaConditions.ScalingActive, false, reason, "the HPA was unable to compute the replica count: " + error, now);
            return new MetricsOutcome(-1, "", statuses, $"invalid metrics ({invalid} invalid out of {specs.Count}), first error is: {error}");
        }
        HpaConditions.Set(status, HpaConditions.ScalingActive, true, "ValidMetricFound",
            $"the HPA was able to successfully calculate a replica count from {metric}", now);
        return new MetricsOutcome(replicas, metric, statuses, null);
    }

    /// <summary>One resource metric's proposal, filling its status entry; the metric's name for messages in <paramref name="name"/>.</summary>
    private static int ComputeResource(ResourceMetricQuery query, IReadOnlyList<JsonObject> pods, IReadOnlyList<PodMetricsSample> samples,
        int current, DateTimeOffset now, JsonObject metricSpec, JsonObject entry, out string name)
    {
        var perContainer = query.Container is not null;
        ResourceProposal proposal;
        try
        {
            proposal = ReplicaCalculator.Compute(query, pods, samples, current, now);
        }
        catch (MetricUnavailableException e)
        {
            var what = query.TargetUtilization is null ? "usage" : "utilization";
            throw new MetricUnavailableException($"failed to get {query.Resource} {what}: {e.Message}");
        }
        var currentValue = new JsonObject();
        if (proposal.Utilization is { } utilization)
        {
            currentValue["averageUtilization"] = utilization;
        }
        currentValue["averageValue"] = MilliQuantity(proposal.RawAverageMilli);
        var field = perContainer ? "containerResource" : "resource";
        var source = new JsonObject { ["name"] = query.Resource };
        if (perContainer)
        {
            source["container"] = query.Container;
        }
        source["current"] = currentValue;
        entry["type"] = metricSpec.GetString("type");
        entry[field] = source;
        name = query.TargetUtilization is null
            ? $"{query.Resource} resource"
            : $"{query.Resource} {(perContainer ? "container " : "")}resource utilization (percentage of request)";
        return proposal.Replicas;
    }

    /// <summary>The query of a Resource or ContainerResource metric; null for the custom and external types.</summary>
    private static ResourceMetricQuery? QueryOf(JsonObject metricSpec)
    {
        var source = metricSpec.GetString("type") switch
        {
            "Resource" => metricSpec["resource"] as JsonObject,
            "ContainerResource" => metricSpec["containerResource"] as JsonObject,
            _ => null,
        };
        if (source is null)
        {
            return null;
        }
        var target = source["target"] as JsonObject ?? [];
        var utilization = target.GetLong("averageUtilization") is { } u ? (int)u : (int?)null;
        var average = target["averageValue"] is { } value ? ReplicaCalculator.Milli(value) : (long?)null;
        if (utilization is null && average is not > 0)
        {
            throw new MetricUnavailableException("invalid resource metric source: neither an average utilization target nor an average value (usage) target was set");
        }
        return new ResourceMetricQuery(source.GetString("name") ?? "", source.GetString("container"), utilization, average);
    }

    /// <summary>Pods, Object and External metrics need a custom or external metrics API, which Berth does not serve.</summary>
    private static MetricUnavailableException Unsupported(JsonObject metricSpec)
    {
        var type = metricSpec.GetString("type") ?? "";
        var field = type switch { "Pods" => "pods", "Object" => "object", "External" => "external", _ => "" };
        var name = metricSpec.GetString(field, "metric", "name") ?? "";
        var api = type == "External" ? "external.metrics.k8s.io" : "custom.metrics.k8s.io";
        return new MetricUnavailableException(field.Length == 0
            ? $"unknown metric source type \"{type}\""
            : $"unable to get metric {name}: no {api} API is served by Berth (only Resource and ContainerResource metrics are computed)");
    }

    private static string FailureReason(string? type) => type switch
    {
        "Pods" => "FailedGetPodsMetric",
        "Object" => "FailedGetObjectMetric",
        "External" => "FailedGetExternalMetric",
        "ContainerResource" => "FailedGetContainerResourceMetric",
        "Resource" => "FailedGetResourceMetric",
        _ => "InvalidMetricSourceType",
    };

    /// <summary>resource.NewMilliQuantity(v, DecimalSI).String().</summary>
    private static string MilliQuantity(long milli) =>
        milli % 1000 == 0 ? new ResourceQuantity((milli / 1000).ToString(System.Globalization.CultureInfo.InvariantCulture)).CanonicalizeString() : $"{milli}m";
}
