using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.PodAutoscaler;

/// <summary>
/// One Resource or ContainerResource metric of an HPA: the resource (<c>cpu</c> or <c>memory</c>), the container when
/// per-container, and the target: a utilization in percent of request, or an average value in milli-units.
/// Reads usage from samples and requests from pod specs in milli-units, as upstream's metrics client does. Immutable.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/controller/podautoscaler/metrics/client.go (getPodMetrics) and
/// metrics/utilization.go (GetResourceUtilizationRatio, GetMetricUsageRatio).</remarks>
public sealed record ResourceMetricQuery(string Resource, string? Container, int? TargetUtilization, long? TargetAverageMilli)
{
    /// <summary>The pod's usage (summed over its containers, or the named one's), or null when not measured.</summary>
    public long? UsageMilli(PodMetricsSample sample)
    {
        long total = 0;
        var found = false;
        foreach (var c in sample.Containers)
        {
            if (Container is null || c.Name == Container)
            {
                total += Resource switch { "cpu" => c.MilliCpu, "memory" => c.MemoryBytes * 1000, _ => 0 };
                found = true;
            }
        }
        return found && Resource is "cpu" or "memory" ? total : null;
    }

    /// <summary>Each pod's request for the resource (containers summed, or the named one's). For an average-value
    /// target no requests are needed and the map is empty.</summary>
    /// <exception cref="MetricUnavailableException">A container without a request, with upstream's message.</exception>
    public Dictionary<string, long> Requests(IReadOnlyList<JsonObject> pods)
    {
        var requests = new Dictionary<string, long>(StringComparer.Ordinal);
        if (TargetUtilization is null)
        {
            return requests;
        }
        foreach (var pod in pods)
        {
            long sum = 0;
            foreach (var container in pod.GetArray("spec", "containers")?.OfType<JsonObject>() ?? [])
            {
                var name = container.GetString("name") ?? "";
                if (Container is not null && name != Container)
                {
                    continue;
                }
                if (container.GetPath("resources", "requests", Resource) is not { } request)
                {
                    throw new MetricUnavailableException($"missing request for {Resource} in container {name} of Pod {ReplicaCalculator.NameOf(pod)}");
                }
                sum += ReplicaCalculator.Milli(request);
            }
            requests[ReplicaCalculator.NameOf(pod)] = sum;
        }
        return requests;
    }

    /// <summary>Usage over target, with the utilization (percent, for a utilization target) and the raw average usage.</summary>
    /// <exception cref="MetricUnavailableException">No measured pod has a request.</exception>
    public (double Ratio, int? Utilization, long RawAverage) Ratio(Dictionary<string, long> metrics, Dictionary<string, long> requests)
    {
        if (TargetUtilization is not { } target)
        {
            var average = metrics.Values.Sum() / metrics.Count;
            return ((double)average / TargetAverageMilli!.Value, null, average);
        }
        long usage = 0, requested = 0, entries = 0;
        foreach (var (name, value) in metrics)
        {
            if (requests.TryGetValue(name, out var request))
            {
                usage += value;
                requested += request;
                entries++;
            }
        }
        if (requested == 0)
        {
            throw new MetricUnavailableException("no metrics returned matched known pods");
        }
        var utilization = (int)(usage * 100 / requested);
        return ((double)utilization / target, utilization, usage / entries);
    }

    /// <summary>The value a missing pod counts with on a scale-down: 100% of request (or the target above it), or the average target.</summary>
    public long ScaleDownFallback(long request) =>
        TargetUtilization is { } target ? request * Math.Max(100, target) / 100 : TargetAverageMilli ?? 0;
}
