using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using k8s.Models;

namespace Berth.Controllers.PodAutoscaler;

/// <summary>What one resource metric proposes: a replica count, the utilization (percent of request, when the target is
/// one) and the average usage in milli-units over the pods measured.</summary>
public sealed record ResourceProposal(int Replicas, int? Utilization, long RawAverageMilli, DateTimeOffset Timestamp);

/// <summary>A metric that could not be computed; the message is upstream's and ends up in a condition and an event.</summary>
public sealed class MetricUnavailableException(string message) : Exception(message);

/// <summary>
/// The desired replica count for a resource metric (cpu or memory, per pod or per container): usage over requests of the
/// pods that count, and <c>ceil(ratio × pods)</c> unless the ratio is within the tolerance. Pending and unready pods,
/// and pods without metrics, are counted as upstream does (unready ones at 0% on a scale-up, missing ones at 0% on a
/// scale-up and 100% of request on a scale-down), and a change of direction caused by them is refused. Pure.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/controller/podautoscaler/replica_calculator.go (GetResourceReplicas,
/// GetRawResourceReplicas, groupPods, calculatePodRequests) and metrics/utilization.go.</remarks>
public static class ReplicaCalculator
{
    /// <summary>The default tolerance: ratios within 10% of 1 change nothing.</summary>
    public const double Tolerance = 0.1;

    /// <summary>Within this time of a pod's start a CPU sample taken before readiness is ignored (upstream default).</summary>
    public static readonly TimeSpan CpuInitializationPeriod = TimeSpan.FromMinutes(5);

    /// <summary>A pod unready for this long after its start is taken to have never been ready (upstream default).</summary>
    public static readonly TimeSpan DelayOfInitialReadinessStatus = TimeSpan.FromSeconds(30);

    /// <summary>The proposal for a utilization target (percent) or, when <paramref name="targetUtilization"/> is null, an
    /// average-value target in milli-units.</summary>
    /// <exception cref="MetricUnavailableException">No usable metrics, or a pod without a request for the resource.</exception>
    public static ResourceProposal Compute(ResourceMetricQuery query, IReadOnlyList<JsonObject> pods, IReadOnlyList<PodMetricsSample> samples,
        int currentReplicas, DateTimeOffset now)
    {
        var metrics = new Dictionary<string, long>(StringComparer.Ordinal);
        var timestamp = DateTimeOffset.MinValue;
        foreach (var sample in samples)
        {
            if (query.UsageMilli(sample) is { } usage)
            {
                metrics[sample.Name] = usage;
                timestamp = sample.Timestamp > timestamp ? sample.Timestamp : timestamp;
            }
        }
        if (metrics.Count == 0)
        {
            throw new MetricUnavailableException($"unable to get metrics for resource {query.Resource}: no metrics returned from resource metrics API");
        }
        if (pods.Count == 0)
        {
            throw new MetricUnavailableException("no pods returned by selector while calculating replica count");
        }
        var groups = PodGroups.Of(pods, metrics, samples, query.Resource == "cpu", now);
        foreach (var name in groups.Ignored.Concat(groups.Unready))
        {
            metrics.Remove(name);
        }
        if (metrics.Count == 0)
        {
            throw new MetricUnavailableException("did not receive metrics for targeted pods (pods might be unready)");
        }
        var requests = query.Requests(pods);
        var (ratio, utilization, raw) = query.Ratio(metrics, requests);
        var scaleUpWithUnready = groups.Unready.Count > 0 && ratio > 1.0;
        if (!scaleUpWithUnready && groups.Missing.Count == 0)
        {
            var replicas = Math.Abs(1.0 - ratio) <= Tolerance ? currentReplicas : (int)Math.Ceiling(ratio * groups.ReadyCount);
            return new ResourceProposal(replicas, utilization, raw, timestamp);
        }
        FillIn(metrics, groups, requests, ratio, query, scaleUpWithUnready);
        var (newRatio, _, _) = query.Ratio(metrics, requests);
        if (Math.Abs(1.0 - newRatio) <= Tolerance || (ratio < 1.0 && newRatio > 1.0) || (ratio > 1.0 && newRatio < 1.0))
        {
            return new ResourceProposal(currentReplicas, utilization, raw, timestamp);
        }
        var proposed = (int)Math.Ceiling(newRatio * metrics.Count);
        return (newRatio < 1.0 && proposed > currentReplicas) || (newRatio > 1.0 && proposed < currentReplicas)
            ? new ResourceProposal(currentReplicas, utilization, raw, timestamp)
            : new ResourceProposal(proposed, utilization, raw, timestamp);
    }

    /// <summary>Missing pods count as 0 on a scale-up and as <see cref="ResourceMetricQuery.ScaleDownFallback"/> on a scale-down; unready pods as 0 on a scale-up.</summary>
    private static void FillIn(Dictionary<string, long> metrics, PodGroups groups, Dictionary<string, long> requests, double ratio,
        ResourceMetricQuery query, bool scaleUpWithUnready)
    {
        foreach (var name in groups.Missing)
        {
            if (ratio < 1.0)
            {
                metrics[name] = query.ScaleDownFallback(requests.GetValueOrDefault(name));
            }
            else if (ratio > 1.0)
            {
                metrics[name] = 0;
            }
        }
        if (scaleUpWithUnready)
        {
            foreach (var name in groups.Unready)
            {
                metrics[name] = 0;
            }
        }
    }

    /// <summary>A quantity in milli-units (Quantity.MilliValue), 0 when absent or unparsable.</summary>
    internal static long Milli(JsonNode? quantity)
    {
        var text = quantity is JsonValue v ? v.TryGetValue<string>(out var s) ? s : v.ToJsonString() : null;
        if (text is null)
        {
            return 0;
        }
        try
        {
            return (long)Math.Ceiling(new ResourceQuantity(text).ToDecimal() * 1000m);
        }
        catch (FormatException)
        {
            return 0;
        }
    }

    internal static string NameOf(JsonObject pod) => pod.GetName() ?? "";
}
