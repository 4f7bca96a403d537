namespace Berth.Controllers.PodAutoscaler;

/// <summary>
/// The rate limits of an HPA behavior: how far the policies let the replica count move from where it stood at the start
/// of each policy's period (the count now, less the scale-ups and plus the scale-downs within the period), combined by
/// the select policy, then clamped to min/max. Pure.
/// </summary>
/// <remarks>Mirrors convertDesiredReplicasWithBehaviorRate, calculateScaleUpLimitWithScalingRules,
/// calculateScaleDownLimitWithBehaviors and getReplicasChangePerPeriod in kubernetes/kubernetes
/// pkg/controller/podautoscaler/horizontal.go.</remarks>
internal static class BehaviorRate
{
    public static (int Replicas, string Reason, string Message) Limit(int current, int desired, int min, int max, ScalingRules up, ScalingRules down,
        IReadOnlyList<(int Change, DateTimeOffset At)> ups, IReadOnlyList<(int Change, DateTimeOffset At)> downs, DateTimeOffset now)
    {
        if (desired > current)
        {
            var upLimit = Math.Max(ScaleUpLimit(current, up, ups, downs, now), current);
            var (allowed, reason, message) = max > upLimit
                ? (upLimit, "ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate")
                : (max, "TooManyReplicas", "the desired replica count is more than the maximum replica count");
            if (desired > allowed)
            {
                return (allowed, reason, message);
            }
        }
        else if (desired < current)
        {
            var downLimit = Math.Min(ScaleDownLimit(current, down, ups, downs, now), current);
            var (allowed, reason, message) = min < downLimit
                ? (downLimit, "ScaleDownLimit", "the desired replica count is decreasing faster than the maximum scale rate")
                : (min, "TooFewReplicas", "the desired replica count is less than the minimum replica count");
            if (desired < allowed)
            {
                return (allowed, reason, message);
            }
        }
        return (desired, "DesiredWithinRange", "the desired count is within the acceptable range");
    }

    /// <summary>The highest count the scale-up policies allow (Max: the largest proposal; Min: the smallest).</summary>
    public static int ScaleUpLimit(int current, ScalingRules rules, IReadOnlyList<(int Change, DateTimeOffset At)> ups,
        IReadOnlyList<(int Change, DateTimeOffset At)> downs, DateTimeOffset now)
    {
        if (rules.SelectPolicy == "Disabled")
        {
            return current;
        }
        var min = rules.SelectPolicy == "Min";
        var result = min ? int.MaxValue : int.MinValue;
        foreach (var policy in rules.Policies)
        {
            var start = current - ChangeIn(policy, ups, now) + ChangeIn(policy, downs, now);
            var proposed = policy.Type == "Pods" ? start + policy.Value : (int)Math.Ceiling(start * (1 + policy.Value / 100.0));
            result = min ? Math.Min(result, proposed) : Math.Max(result, proposed);
        }
        return result;
    }

    /// <summary>The lowest count the scale-down policies allow (Max: the largest change, so the smallest count).</summary>
    public static int ScaleDownLimit(int current, ScalingRules rules, IReadOnlyList<(int Change, DateTimeOffset At)> ups,
        IReadOnlyList<(int Change, DateTimeOffset At)> downs, DateTimeOffset now)
    {
        if (rules.SelectPolicy == "Disabled")
        {
            return current;
        }
        var min = rules.SelectPolicy == "Min";
        var result = min ? int.MinValue : int.MaxValue;
        foreach (var policy in rules.Policies)
        {
            var start = current - ChangeIn(policy, ups, now) + ChangeIn(policy, downs, now);
            var proposed = policy.Type == "Pods" ? start - policy.Value : (int)(start * (1 - policy.Value / 100.0));
            result = min ? Math.Max(result, proposed) : Math.Min(result, proposed);
        }
        return result;
    }

    /// <summary>The replicas changed by the events within the policy's period.</summary>
    private static int ChangeIn(ScalingPolicy policy, IReadOnlyList<(int Change, DateTimeOffset At)> events, DateTimeOffset now)
    {
        var cutoff = now - TimeSpan.FromSeconds(policy.PeriodSeconds);
        return events.Where(e => e.At > cutoff).Sum(e => e.Change);
    }
}
