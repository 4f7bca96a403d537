using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.PodAutoscaler;

/// <summary>
/// The HPA's split of a target's pods: ready pods with metrics count; deleting and failed pods are ignored; pending
/// pods, and for CPU pods not yet ready or whose sample predates their readiness, are unready; running pods without a
/// sample are missing. Pure.
/// </summary>
/// <remarks>Mirrors groupPods in kubernetes/kubernetes pkg/controller/podautoscaler/replica_calculator.go.</remarks>
internal sealed record PodGroups(int ReadyCount, HashSet<string> Unready, HashSet<string> Missing, HashSet<string> Ignored)
{
    public static PodGroups Of(IReadOnlyList<JsonObject> pods, IReadOnlyDictionary<string, long> metrics,
        IReadOnlyList<PodMetricsSample> samples, bool cpu, DateTimeOffset now)
    {
        var groups = new PodGroups(0, new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal));
        var ready = 0;
        foreach (var pod in pods)
        {
            var name = ReplicaCalculator.NameOf(pod);
            var phase = pod.GetString("status", "phase");
            if (pod.GetString("metadata", "deletionTimestamp") is not null || phase == "Failed")
            {
                groups.Ignored.Add(name);
            }
            else if (phase == "Pending")
            {
                groups.Unready.Add(name);
            }
            else if (!metrics.ContainsKey(name))
            {
                groups.Missing.Add(name);
            }
            else if (cpu && IsUnreadyForCpu(pod, samples.First(s => s.Name == name), now))
            {
                groups.Unready.Add(name);
            }
            else
            {
                ready++;
            }
        }
        return groups with { ReadyCount = ready };
    }

    /// <summary>Within the initialization period a pod counts only once ready and sampled a window after turning ready;
    /// after it, a pod unready since (about) its start is taken as never ready.</summary>
    private static bool IsUnreadyForCpu(JsonObject pod, PodMetricsSample sample, DateTimeOffset now)
    {
        var condition = pod.GetArray("status", "conditions")?.OfType<JsonObject>().FirstOrDefault(c => c.GetString("type") == "Ready");
        if (condition is null || Time(pod.GetString("status", "startTime")) is not { } start)
        {
            return true;
        }
        var transition = Time(condition.GetString("lastTransitionTime")) ?? start;
        var isFalse = condition.GetString("status") == "False";
        return start + ReplicaCalculator.CpuInitializationPeriod > now
            ? isFalse || sample.Timestamp < transition + sample.Window
            : isFalse && start + ReplicaCalculator.DelayOfInitialReadinessStatus > transition;
    }

    private static DateTimeOffset? Time(string? text) =>
        DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t : null;
}
